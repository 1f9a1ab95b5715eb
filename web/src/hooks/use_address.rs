//! [`use_address`]: the page address follows a view's settings.

use yew::prelude::*;

use crate::url_state::{PageState, ViewParams, replace_address};

/// Writes `settings` into the address bar ([`replace_address`], no history entry) whenever they
/// change; `None` (settings that are not valid yet) leaves the address as it is.
#[hook]
pub fn use_address<S: ViewParams>(settings: Option<S>) {
    use_effect_with(settings, |settings| {
        if let Some(s) = settings {
            replace_address(&PageState::showing(s.clone()));
        }
    });
}
