//! `meridian presets`: the scenarios that ship with Meridian.

use std::error::Error;

use clap::Args;
use meridian_core::scenario::{PRESETS, Scenario};

#[derive(Debug, Args)]
pub(crate) struct PresetsArgs {
    /// Print this preset's scenario document (TOML), to copy and edit.
    #[arg(long, value_name = "NAME")]
    show: Option<String>,
}

pub(crate) fn run(args: &PresetsArgs) -> Result<(), Box<dyn Error>> {
    if let Some(name) = &args.show {
        // Fails with the list of names when unknown.
        Scenario::preset(name)?;
        let info = PRESETS
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or("preset vanished")?;
        print!("{}", info.toml);
        return Ok(());
    }
    let width = PRESETS.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for p in PRESETS {
        println!("{:<width$}  {}", p.name, p.summary);
    }
    println!(
        "\nRun one with `meridian run NAME`; print its document with `meridian presets --show NAME`."
    );
    Ok(())
}
