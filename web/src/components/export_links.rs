//! Downloads of a finished engine run: the report as JSON (the same object `meridian run --json`
//! prints), and core's CSV files of the run ([`meridian_core::sim::csv_files`]: the histograms,
//! the per-region table and, for runs with faults, the failure timeline), the files
//! `meridian run --csv DIR` writes.

use std::rc::Rc;

use meridian_core::sim::{Model, csv_files, file_base};
use yew::prelude::*;

use crate::run::engine::EngineOutput;
use crate::url_state::percent_encode;

/// Props of [`ExportLinks`].
#[derive(Debug, PartialEq, Properties)]
pub struct ExportLinksProps {
    /// The model the run belongs to (for the regions' names).
    pub model: Rc<Model>,
    /// The finished run.
    pub output: Rc<EngineOutput>,
}

/// One download: its file name and its `data:` address.
#[derive(Debug, Clone, PartialEq)]
struct Download {
    label: &'static str,
    testid: &'static str,
    file: String,
    href: String,
}

/// The downloads of `output`: the report, then core's CSV files of the run (named as
/// `meridian run --csv` names them).
fn downloads(model: &Model, output: &EngineOutput) -> Vec<Download> {
    let report = &output.report;
    let data =
        |mime: &str, text: &str| format!("data:{mime};charset=utf-8,{}", percent_encode(text));
    let mut out = Vec::new();
    if let Ok(json) = serde_json::to_string_pretty(report) {
        out.push(Download {
            label: "report (JSON)",
            testid: "export-report",
            file: format!("{}-report.json", file_base(report)),
            href: data("application/json", &json),
        });
    }
    let regions: Vec<&str> = model
        .topology
        .regions()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for f in csv_files(report, &output.histograms, &regions) {
        let (label, testid) = match f.kind {
            "histograms" => ("histograms (CSV)", "export-histograms"),
            "regions" => ("regions (CSV)", "export-regions"),
            _ => ("failure timeline (CSV)", "export-timeline"),
        };
        out.push(Download {
            label,
            testid,
            file: f.file,
            href: data("text/csv", &f.text),
        });
    }
    out
}

/// The download links of a run.
#[function_component(ExportLinks)]
pub fn export_links(props: &ExportLinksProps) -> Html {
    // Built once per run, not on every render of the view.
    let list = {
        let (model, output) = (props.model.clone(), props.output.clone());
        use_memo(Rc::as_ptr(&props.output) as usize, move |_| {
            downloads(&model, &output)
        })
    };
    html! {
        <p class="exports" data-testid="exports">
            <span class="muted">{ "Download this run: " }</span>
            { for list.iter().enumerate().map(|(i, d)| html! {
                <>
                    if i > 0 { { " · " } }
                    <a href={d.href.clone()} download={d.file.clone()} data-testid={d.testid}>{ d.label }</a>
                </>
            }) }
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::Scenario;
    use meridian_core::sim::{Report, Simulation};

    #[test]
    fn the_report_download_is_the_cli_json_and_faults_add_the_timeline() {
        let model = Scenario::preset("sg-down-reject")
            .unwrap()
            .validate()
            .unwrap();
        let mut sim = Simulation::new(model.clone());
        sim.run();
        let output = EngineOutput {
            report: sim.report(),
            histograms: sim.histograms(),
        };
        let list = downloads(&model, &output);
        let names: Vec<&str> = list.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(
            names,
            [
                "sg-down-reject-seed1-report.json",
                "sg-down-reject-seed1-histograms.csv",
                "sg-down-reject-seed1-regions.csv",
                "sg-down-reject-seed1-timeline.csv"
            ]
        );
        let json = list[0]
            .href
            .strip_prefix("data:application/json;charset=utf-8,")
            .unwrap();
        // The object `meridian run --json` prints, pretty-printed (as the golden files are).
        let decoded = crate::url_state::percent_decode(json);
        assert_eq!(
            decoded,
            serde_json::to_string_pretty(&output.report).unwrap()
        );
        let back: Report = serde_json::from_str(&decoded).unwrap();
        assert_eq!(
            back.failures.unwrap().rpo,
            output.report.failures.clone().unwrap().rpo
        );
        assert!(list[2].href.contains("clients%2Creads%2Cread_p50_ms"));
        assert!(list[3].href.contains("start_s%2Creads"));
    }
}
