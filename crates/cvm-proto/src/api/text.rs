//! What a text field of a generated request can be set from (hand-written, not generated).

use std::borrow::Cow;

/// A value that becomes the text of a field: `&str`, `String`, `&String`, `Box<str>`,
/// `Cow<str>` or `char`. The generated constructors and `with_` setters take it instead of
/// `impl Into<String>`, which costs far more to compile across hundreds of setters.
pub trait Text {
    /// The owned text.
    fn into_text(self) -> String;
}

impl Text for String {
    fn into_text(self) -> String {
        self
    }
}

impl Text for &str {
    fn into_text(self) -> String {
        self.to_owned()
    }
}

impl Text for &String {
    fn into_text(self) -> String {
        self.clone()
    }
}

impl Text for &mut str {
    fn into_text(self) -> String {
        self.to_owned()
    }
}

impl Text for Box<str> {
    fn into_text(self) -> String {
        self.into_string()
    }
}

impl Text for Cow<'_, str> {
    fn into_text(self) -> String {
        self.into_owned()
    }
}

impl Text for char {
    fn into_text(self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Text;
    use std::borrow::Cow;

    #[test]
    fn every_kind_of_text_gives_the_same_string() {
        let owned = String::from("ap-guangzhou-2");
        assert_eq!("ap-guangzhou-2".into_text(), owned);
        assert_eq!((&owned).into_text(), owned);
        assert_eq!(Box::<str>::from("ap-guangzhou-2").into_text(), owned);
        assert_eq!(Cow::Borrowed("ap-guangzhou-2").into_text(), owned);
        assert_eq!('x'.into_text(), "x");
        assert_eq!(owned.clone().into_text(), owned);
    }
}
