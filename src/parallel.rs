//! Parallel where it pays. A pre-commit run names a handful of files: work on so few
//! items is done on the calling thread, without starting the thread pool (a thread
//! costs its stack, its allocator heap and the page faults of both) or waking it.

use rayon::prelude::*;

/// Up to this many items, work stays on the calling thread.
pub const FEW: usize = 8;

/// Whether `len` items are few enough to do on this thread.
pub fn is_few(len: usize) -> bool {
    len <= FEW
}

/// `f` over `items`, in order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if is_few(items.len()) {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// `f` over `items`, taken by value, in order.
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    if is_few(items.len()) {
        items.into_iter().map(f).collect()
    } else {
        items.into_par_iter().map(f).collect()
    }
}

/// Drop `value` on the pool, while the caller goes on, when it is large (`items` says
/// how large); a small one is dropped here.
pub fn drop_later<T: Send + 'static>(value: T, items: usize) {
    if is_few(items) {
        drop(value);
    } else {
        rayon::spawn(move || drop(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_and_many_items_map_in_order() {
        for len in [0, 1, FEW, FEW + 1, 1000] {
            let items: Vec<usize> = (0..len).collect();
            let doubled = map(&items, |i| i * 2);
            assert_eq!(doubled, (0..len).map(|i| i * 2).collect::<Vec<_>>());
            assert_eq!(
                map_owned(items.clone(), |i| i + 1),
                (1..=len).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn few_items_stay_on_the_calling_thread() {
        let here = std::thread::current().id();
        let items = vec![(); FEW];
        assert!(
            map(&items, |_| std::thread::current().id() == here)
                .into_iter()
                .all(|same| same)
        );
    }
}
