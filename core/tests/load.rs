//! `Scenario::load`: files by extension, with errors that say which file and why.

use meridian_core::scenario::Scenario;

#[test]
fn toml_and_json_files_load_as_their_scenario_and_bad_files_are_named() {
    let dir = std::env::temp_dir().join(format!("meridian-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let preset = Scenario::preset("sg-us-wallet").expect("preset");
    let toml = dir.join("a.TOML");
    std::fs::write(&toml, preset.to_toml().expect("toml")).unwrap();
    let json = dir.join("a.json");
    std::fs::write(&json, serde_json::to_string(&preset).unwrap()).unwrap();
    assert_eq!(Scenario::load(&toml), Ok(preset.clone()));
    assert_eq!(Scenario::load(&json), Ok(preset));

    let xml = dir.join("a.xml");
    let e = Scenario::load(&xml).unwrap_err();
    assert!(e.contains("has extension .xml; expected .toml"), "{e}");
    #[cfg(feature = "yaml")]
    {
        let config = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/examples/three-region-primary.yaml"
        );
        assert_eq!(
            Scenario::load(config).expect("the example config").name,
            "three-region-primary"
        );
    }
    assert!(
        Scenario::load(dir.join("none"))
            .unwrap_err()
            .contains("has no extension")
    );
    assert!(
        Scenario::load(dir.join("missing.toml"))
            .unwrap_err()
            .starts_with("cannot read scenario file")
    );
    let broken = dir.join("broken.json");
    std::fs::write(&broken, r#"{"name": 3}"#).unwrap();
    let e = Scenario::load(&broken).unwrap_err();
    assert!(e.contains("broken.json: ") && e.contains("name"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}
