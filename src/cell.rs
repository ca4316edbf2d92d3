//! Table cells for the command line: text padded to a width in terminal
//! columns, where a Hangul syllable (or any wide character) takes two.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes in a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` followed by spaces up to `columns` terminal columns. Text wider than
/// that is cut to fit, ending in `…`, so the columns after it stay in line.
pub fn pad(s: &str, columns: usize) -> String {
    let w = width(s);
    if w <= columns {
        let mut out = String::with_capacity(s.len() + columns - w);
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', columns - w));
        return out;
    }
    if columns == 0 {
        return String::new();
    }
    // Room for the ellipsis (one column).
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > columns - 1 {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    used += 1;
    out.extend(std::iter::repeat_n(' ', columns - used));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hangul_takes_two_columns() {
        assert_eq!(width("도커 엔진"), 9);
        assert_eq!(pad("도커 엔진", 12), "도커 엔진   ");
        assert_eq!(pad("Docker", 8), "Docker  ");
    }

    #[test]
    fn wide_text_is_cut_with_an_ellipsis() {
        assert_eq!(pad("퍼시스턴트 볼륨", 8), "퍼시스… ");
        assert_eq!(width(&pad("퍼시스턴트 볼륨", 8)), 8);
        assert_eq!(pad("Kubernetes", 5), "Kube…");
        assert_eq!(pad("abc", 0), "");
    }

    proptest! {
        #[test]
        fn a_cell_is_always_as_wide_as_asked(s in "[a-z 가-힣()·…]{0,30}", columns in 0usize..40) {
            let cell = pad(&s, columns);
            prop_assert_eq!(width(&cell), columns);
            if width(&s) <= columns {
                prop_assert!(cell.starts_with(&s));
            } else if columns > 0 {
                prop_assert!(cell.trim_end().ends_with('…'));
            }
        }
    }
}
