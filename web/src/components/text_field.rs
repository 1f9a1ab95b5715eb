//! [`text_field`]: a labelled text input with its message under it, as the PBS, Recovery and
//! Sweep views' forms show them.

use yew::prelude::*;

/// What a field takes, for the keyboard a phone offers and the browser's spelling check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldInput {
    /// A numeric keypad (`inputmode="numeric"`; on some phones without a decimal point).
    Numeric,
    /// A keypad with a decimal point (`inputmode="decimal"`).
    Decimal,
    /// Any keyboard, without the browser's spelling check (`spellcheck="false"`), for text such
    /// as a field path.
    Text,
}

impl FieldInput {
    fn inputmode(self) -> Option<&'static str> {
        match self {
            FieldInput::Numeric => Some("numeric"),
            FieldInput::Decimal => Some("decimal"),
            FieldInput::Text => None,
        }
    }

    fn spellcheck(self) -> Option<&'static str> {
        (self == FieldInput::Text).then_some("false")
    }
}

/// A text input showing `value` under `label`, with test id `testid`, sending each edit to
/// `oninput`. When `error` is set the input is marked invalid and the message is shown under it
/// (test id `{testid}-error`), referenced as the input's description.
pub fn text_field(
    label: &str,
    testid: &'static str,
    value: &str,
    error: &Option<String>,
    input: FieldInput,
    oninput: Callback<InputEvent>,
) -> Html {
    let error_id = format!("{testid}-error");
    html! {
        <label>
            <span>{ label.to_string() }</span>
            <input data-testid={testid} inputmode={input.inputmode()} spellcheck={input.spellcheck()}
                   value={value.to_string()} {oninput}
                   aria-invalid={error.is_some().to_string()}
                   aria-describedby={error.as_ref().map(|_| error_id.clone())} />
            if let Some(e) = error {
                <p class="field-error" id={error_id.clone()} data-testid={error_id}>{ e.clone() }</p>
            }
        </label>
    }
}
