//! Entry point of the browser app: mounts [`meridian_web::App`] on the page body.

fn main() {
    yew::Renderer::<meridian_web::App>::new().render();
}
