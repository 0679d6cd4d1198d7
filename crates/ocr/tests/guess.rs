//! A reading that is a guess is never proven: an engine whose misreads correlate
//! (tesseract's) reads each amount twice, and where the two readings differ the cell is
//! a guess. Here an engine stands in for one: it reads every amount crop of a drawn grid
//! as `10.36` the first time and as `first` or `second` the second time.

use gongkai_ocr::engine::{Engine, Kind, Reading};
use gongkai_ocr::raster::Gray;
use gongkai_ocr::OcrError;

struct Twice {
    second: &'static str,
    correlated: bool,
}

impl Engine for Twice {
    fn name(&self) -> &'static str {
        "twice"
    }
    fn read(&self, crops: &[Gray], kind: Kind) -> Result<Vec<Reading>, OcrError> {
        let t = if kind == Kind::Amount {
            self.second
        } else {
            "10.36"
        };
        Ok(crops
            .iter()
            .map(|_| Reading {
                text: t.into(),
                chars: vec![0.99; t.len()],
            })
            .collect())
    }
    fn needs_second_reading(&self) -> bool {
        self.correlated
    }
}

/// A 3×2 grid, 300 dpi, each cell with a blot of ink to read.
fn grid() -> Gray {
    let (w, h) = (900, 400);
    let mut g = Gray::new(w, h, 255);
    for &y in &[100usize, 200, 300] {
        for x in 100..800 {
            g.px[y * w + x] = 0;
            g.px[(y + 1) * w + x] = 0;
        }
    }
    for &x in &[100usize, 333, 566, 799] {
        for y in 100..302 {
            g.px[y * w + x] = 0;
            g.px[y * w + x + 1] = 0;
        }
    }
    for cy in [150usize, 250] {
        for cx in [216usize, 450, 683] {
            for y in cy - 12..cy + 12 {
                for x in cx - 40..cx + 40 {
                    if (x / 6) % 2 == 0 {
                        g.px[y * w + x] = 0;
                    }
                }
            }
        }
    }
    g
}

#[test]
fn two_readings_that_differ_make_a_guess_that_agree_do_not() {
    let img = grid();
    let disagree = gongkai_ocr::read_page(
        &img,
        300,
        1,
        &Twice {
            second: "0.36",
            correlated: true,
        },
    )
    .unwrap();
    assert_eq!(disagree.cells.len(), 6, "{:?}", disagree.cells);
    assert!(
        disagree.cells.iter().all(|c| c.guess),
        "{:?}",
        disagree.cells
    );
    let agree = gongkai_ocr::read_page(
        &img,
        300,
        1,
        &Twice {
            second: "10.36",
            correlated: true,
        },
    )
    .unwrap();
    assert!(
        agree.cells.iter().all(|c| !c.guess && c.text == "10.36"),
        "{:?}",
        agree.cells
    );
    // An engine read once is not asked twice (its one reading is kept).
    let once = gongkai_ocr::read_page(
        &img,
        300,
        1,
        &Twice {
            second: "0.36",
            correlated: false,
        },
    )
    .unwrap();
    assert!(
        once.cells.iter().all(|c| !c.guess && c.text == "10.36"),
        "{:?}",
        once.cells
    );
}

#[test]
fn a_filled_in_character_is_a_guess() {
    struct Bad;
    impl Engine for Bad {
        fn name(&self) -> &'static str {
            "bad"
        }
        fn read(&self, crops: &[Gray], _: Kind) -> Result<Vec<Reading>, OcrError> {
            Ok(crops
                .iter()
                .map(|_| Reading {
                    text: "1.106.23".into(),
                    chars: vec![0.99, 0.3, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99],
                })
                .collect())
        }
    }
    let p = gongkai_ocr::read_page(&grid(), 300, 1, &Bad).unwrap();
    assert!(
        p.cells.iter().all(|c| c.guess && c.text == "1,106.23"),
        "{:?}",
        p.cells
    );
}
