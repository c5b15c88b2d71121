//! Independent pieces of work on all cores, with results in input order,
//! so the output never depends on which thread did what.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The most threads used.
const MAX_THREADS: usize = 8;

/// `f` of every item, on up to [`MAX_THREADS`] scoped threads (the calling
/// thread is one of them), heaviest items first by `weight` so no big one
/// starts last and holds up the rest. Results come back in `items`' order.
/// A panic in `f` is passed on.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            done.push((index, f(&items[index])));
        }
        done
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_THREADS)
        .min(items.len());
    let parts = if threads <= 1 {
        vec![worker()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..threads).map(|_| scope.spawn(worker)).collect();
            let mut parts = vec![worker()];
            for handle in handles {
                match handle.join() {
                    Ok(part) => parts.push(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            parts
        })
    };
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (index, result) in parts.into_iter().flatten() {
        results[index] = Some(result);
    }
    // Every index was taken exactly once by some worker.
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<usize> = (0..100).collect();
        let out = super::map(&items, |&i| i % 7, |&i| i * 2);
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |_| 0, |&b| b).is_empty());
    }
}
