//! `meridian merge`: built-in conflict walkthroughs, rendered step by step.

use std::error::Error;
use std::fmt::Write as _;

use clap::Args;
use meridian_core::walkthrough::{EXAMPLES, Walkthrough, walkthrough};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  meridian merge --list\n  meridian merge wallet\n  meridian merge clock-skew --json"
)]
pub(crate) struct MergeArgs {
    /// The example to walk through (see --list).
    #[arg(required_unless_present = "list")]
    example: Option<String>,

    /// List the built-in examples.
    #[arg(long)]
    list: bool,

    /// Print the walkthrough as one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(args: &MergeArgs) -> Result<(), Box<dyn Error>> {
    if args.list {
        let width = EXAMPLES.iter().map(|e| e.name.len()).max().unwrap_or(0);
        for e in EXAMPLES {
            println!("{:<width$}  {}", e.name, e.summary);
        }
        return Ok(());
    }
    let name = args.example.as_deref().unwrap_or_default();
    let w = walkthrough(name).ok_or_else(|| {
        let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        format!("unknown example '{name}'; available: {}", names.join(", "))
    })?;
    if args.json {
        println!("{}", serde_json::to_string(&w)?);
    } else {
        print!("{}", render(&w));
    }
    Ok(())
}

fn render(w: &Walkthrough) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}\n", w.name, w.story);
    for (i, o) in w.outcomes.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", i + 1, o.strategy);
        for t in &o.traces {
            let _ = writeln!(out, "   {}", t.title);
            for input in &t.inputs {
                let _ = writeln!(
                    out,
                    "     in   {:<10} {}  [{}]",
                    input.source, input.value, input.clock
                );
            }
            for (n, s) in t.steps.iter().enumerate() {
                let subject = if s.subject.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", s.subject)
                };
                let _ = writeln!(
                    out,
                    "     {:>2}.  {subject}{}  ({})",
                    n + 1,
                    s.decision,
                    s.reason
                );
            }
            if !t.result.is_empty() {
                let _ = writeln!(out, "     =>   {}", t.result);
            }
            for d in &t.discarded {
                let _ = writeln!(out, "     lost {d}");
            }
        }
        let _ = writeln!(out, "   result: {}", o.result);
        let _ = writeln!(
            out,
            "   {} {}\n",
            if o.lost_data { "LOSS:" } else { "ok:" },
            o.verdict
        );
    }
    out
}
