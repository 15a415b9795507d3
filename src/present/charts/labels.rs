//! Direct labels that do not collide: each label tries a few places near its anchor and
//! takes the first whose box (in pixels) overlaps no label or marker placed before it.

/// A pixel box: left, top, right, bottom.
pub(crate) type PixelBox = [i32; 4];

/// Boxes already taken on one chart.
#[derive(Clone, Debug, Default)]
pub(crate) struct Placer {
    taken: Vec<PixelBox>,
}

/// A placed label: the pixel offset (dx, dy) from its anchor to the text's top left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    /// Pixel offset (dx, dy) from the anchor.
    pub offset: (i32, i32),
}

fn overlaps(a: &PixelBox, b: &PixelBox) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

impl Placer {
    /// Marks a box (a marker, a point) as taken.
    pub fn take(&mut self, b: PixelBox) {
        self.taken.push(b);
    }

    /// Places a label `size` (width, height) pixels near the pixel `anchor`: right of
    /// it, then left, then further up or down in steps of a line, within `bounds`.
    /// Falls back to the first candidate inside the bounds when everything is taken.
    pub fn place(&mut self, size: (i32, i32), anchor: (i32, i32), bounds: PixelBox) -> Placement {
        self.place_from(Vec::new(), size, anchor, bounds)
    }

    /// Like [`Self::place`], trying centred above and below the anchor first: for a
    /// label that names a marker rather than a line.
    pub fn place_over(
        &mut self,
        size: (i32, i32),
        anchor: (i32, i32),
        bounds: PixelBox,
    ) -> Placement {
        let (w, h) = (size.0 + 4, size.1 + 8);
        let (x, y) = anchor;
        let first = vec![(x - w / 2, y - 16 - h), (x - w / 2, y + 16)];
        self.place_from(first, size, anchor, bounds)
    }

    fn place_from(
        &mut self,
        mut candidates: Vec<(i32, i32)>,
        size: (i32, i32),
        anchor: (i32, i32),
        bounds: PixelBox,
    ) -> Placement {
        let (w, h) = (size.0 + 4, size.1 + 8);
        let (x, y) = anchor;
        for step in 0..8 {
            let d = step * (h + 2);
            // (left, top) of the box.
            candidates.push((x + 10, y - h / 2 - d));
            candidates.push((x + 10, y - h / 2 + d));
            candidates.push((x - 10 - w, y - h / 2 - d));
            candidates.push((x - 10 - w, y - h / 2 + d));
        }
        let inside = |b: &PixelBox| {
            b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3]
        };
        let boxed = |(left, top): (i32, i32)| [left, top, left + w, top + h];
        let chosen = (candidates.iter().copied())
            .find(|c| {
                let b = boxed(*c);
                inside(&b) && !self.taken.iter().any(|t| overlaps(t, &b))
            })
            .or_else(|| candidates.iter().copied().find(|c| inside(&boxed(*c))))
            .unwrap_or(candidates[0]);
        self.taken.push(boxed(chosen));
        Placement {
            offset: (chosen.0 - x, chosen.1 - y),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_label_at_the_same_anchor_moves_off_the_first() {
        let mut placer = Placer::default();
        let bounds = [0, 0, 1000, 1000];
        let a = placer.place((150, 20), (500, 500), bounds);
        let b = placer.place((130, 20), (500, 500), bounds);
        assert_ne!(a.offset, b.offset);
        let [first, second] = [&placer.taken[0], &placer.taken[1]];
        assert!(!overlaps(first, second), "{first:?} {second:?}");
    }

    #[test]
    fn labels_stay_inside_the_bounds() {
        let mut placer = Placer::default();
        let p = placer.place((240, 20), (990, 5), [0, 0, 1000, 1000]);
        let b = placer.taken[0];
        assert!(b[2] <= 1000 && b[1] >= 0, "{b:?} {p:?}");
    }
}
