//! `--svg DIR`: the charts of a run written as SVG files, drawn by
//! [`meridian_core::charts`], the code the page draws them with, under the names the page's
//! "SVG" buttons save them as.

use std::error::Error;
use std::path::{Path, PathBuf};

use meridian_core::charts::Chart;

/// Creates `dir` (and its parents) if missing, before a run, so that a folder that cannot be
/// made fails at once rather than after the simulation.
pub(crate) fn prepare(dir: &Path) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the chart folder '{}': {e}", dir.display()))?;
    Ok(())
}

/// Writes each of `charts` into `dir` as `<file name>.svg`, naming each file written on stderr
/// (stdout keeps the table or JSON). A chart that could not be drawn or a file that cannot be
/// written is an error naming it.
pub(crate) fn write(dir: &Path, charts: &[Chart]) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    prepare(dir)?;
    let mut written = Vec::with_capacity(charts.len());
    for chart in charts {
        let svg = chart
            .svg
            .as_ref()
            .map_err(|e| format!("cannot draw the chart '{}': {e}", chart.name))?;
        let path = dir.join(chart.file_name());
        std::fs::write(&path, svg)
            .map_err(|e| format!("cannot write the chart file '{}': {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
        written.push(path);
    }
    Ok(written)
}
