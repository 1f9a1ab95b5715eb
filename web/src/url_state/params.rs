//! [`ViewParams`]: what every view's settings do in the page address, so that reading them
//! (every refusal named, the rest still applied), writing them and following them from the
//! view ([`crate::hooks::use_address()`]) is written once. Each view implements it in its own
//! `query.rs`, where its parameters and their checks are.

use super::{PageState, VERSION_KEY, VIEW_KEY};
use crate::views::View;

/// A view's settings as parameters of the page address.
pub trait ViewParams: Clone + PartialEq + 'static {
    /// The view whose settings these are.
    const VIEW: View;

    /// The view's parameters, in the order they are written.
    const KEYS: &'static [&'static str];

    /// Applies one decoded parameter. `None` when `key` is not one of the view's; otherwise
    /// whether `value` was accepted, with the reason and what is allowed when not (the setting
    /// then keeps what it had).
    fn apply(&mut self, key: &str, value: String) -> Option<Result<(), String>>;

    /// Checks the parameters that depend on each other once all of them are in, whatever their
    /// order: each one refused falls back, with a message naming it (`(key, message)` pairs).
    /// Views whose parameters stand alone keep this default, which refuses none.
    fn check(&mut self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The view's parameters as `(key, value)` pairs, in [`Self::KEYS`] order, values not yet
    /// encoded.
    fn pairs(&self) -> Vec<(&'static str, String)>;

    /// Where a page state keeps these settings.
    fn in_page(page: &mut PageState) -> &mut Self;
}

impl PageState {
    /// The page showing the view of `settings` with them (every other view at its defaults).
    pub fn showing<S: ViewParams>(settings: S) -> Self {
        let mut page = PageState {
            view: S::VIEW,
            ..PageState::default()
        };
        *S::in_page(&mut page) = settings;
        page
    }
}

/// The parameters the view of `S` understands, the version and view keys first.
pub fn known_keys<S: ViewParams>() -> Vec<&'static str> {
    [VERSION_KEY, VIEW_KEY]
        .into_iter()
        .chain(S::KEYS.iter().copied())
        .collect()
}

/// Applies the view's decoded `params` to `settings` in order, then checks them together
/// ([`ViewParams::check`]). Returns a message for each parameter refused or unknown, naming it;
/// a refused parameter leaves its setting as it was.
pub fn read_params<S: ViewParams>(
    settings: &mut S,
    params: impl IntoIterator<Item = (String, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in params {
        match settings.apply(&key, value) {
            Some(Ok(())) => {}
            Some(Err(e)) => problems.push(format!("'{key}': {e}")),
            None => problems.push(format!(
                "unknown parameter '{key}' (known: {})",
                known_keys::<S>().join(", ")
            )),
        }
    }
    problems.extend(
        settings
            .check()
            .into_iter()
            .map(|(key, e)| format!("'{key}': {e}")),
    );
    problems
}

/// For the views' tests: `settings` write every one of the view's parameters, in
/// [`ViewParams::KEYS`] order, and those read back, one at a time onto the defaults, as the same
/// settings with nothing refused.
#[cfg(test)]
pub fn assert_reads_back<S: ViewParams + Default + std::fmt::Debug>(settings: &S) {
    let written = settings.pairs();
    assert_eq!(
        written.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
        S::KEYS.to_vec()
    );
    let mut back = S::default();
    for (key, value) in written {
        assert_eq!(back.apply(key, value), Some(Ok(())), "{key}");
    }
    assert!(back.check().is_empty());
    assert_eq!(&back, settings);
}
