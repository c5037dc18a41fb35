use super::format;

fn yaml(text: &str) -> String {
    format("t.yaml", text).unwrap_or_else(|d| panic!("{:?}", d))
}

#[test]
fn smoke() {
    assert_eq!(yaml("a:   1\n"), "a: 1\n");
}
