//! A reader thread whose items are consumed as an iterator, and which never outlives it.
//!
//! Parsers that only offer a push interface (serde's visitor over a JSON array, the
//! workbook readers) run on their own thread and send what they read through a bounded
//! channel. When the consumer is done, or stops early, the iterator closes the channel and
//! joins the thread, so no reader keeps running (or holds the file) after the records are
//! dropped.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TryRecvError};
use std::thread::JoinHandle;

/// The items a reader thread sends, in order; joins the thread when dropped.
pub(super) struct ReaderThread<T> {
    /// `None` once the channel is closed.
    items: Option<Receiver<T>>,
    /// `None` once joined.
    thread: Option<JoinHandle<()>>,
}

impl<T: Send + 'static> ReaderThread<T> {
    /// Runs `read` on a new thread with the sending end of a channel of `capacity` items.
    /// `read` should stop soon after a send fails: the consumer is gone.
    pub(super) fn spawn(
        capacity: usize,
        read: impl FnOnce(SyncSender<T>) + Send + 'static,
    ) -> ReaderThread<T> {
        let (sender, receiver) = sync_channel(capacity);
        let thread = std::thread::spawn(move || read(sender));
        ReaderThread {
            items: Some(receiver),
            thread: Some(thread),
        }
    }

    /// The next item if the thread has already sent it, without waiting: `None` when
    /// it has not yet, `Some(None)` at the end.
    pub(super) fn try_next(&mut self) -> Option<Option<T>> {
        let received = self.items.as_ref().map(Receiver::try_recv);
        match received {
            Some(Ok(item)) => Some(Some(item)),
            Some(Err(TryRecvError::Empty)) => None,
            Some(Err(TryRecvError::Disconnected)) | None => {
                self.finish();
                Some(None)
            }
        }
    }

    /// Closes the channel, so a blocked sender wakes up with an error, and waits for the
    /// thread. A panic on the reader thread is a bug; it is raised again here rather than
    /// ending the records silently.
    fn finish(&mut self) {
        self.items = None;
        if let Some(thread) = self.thread.take() {
            if let Err(panic) = thread.join() {
                if !std::thread::panicking() {
                    std::panic::resume_unwind(panic);
                }
            }
        }
    }
}

impl<T: Send + 'static> Iterator for ReaderThread<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let item = self.items.as_ref()?.recv().ok();
        if item.is_none() {
            self.finish();
        }
        item
    }
}

impl<T> Drop for ReaderThread<T> {
    fn drop(&mut self) {
        self.items = None;
        if let Some(thread) = self.thread.take() {
            // Dropping must not panic; a reader panic after the consumer stopped is lost,
            // as there is nobody left to tell.
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn the_items_arrive_in_order() {
        let items: Vec<u32> = ReaderThread::spawn(2, |sender| {
            for item in 0..10 {
                if sender.send(item).is_err() {
                    return;
                }
            }
        })
        .collect();
        assert_eq!(items, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn try_next_tells_an_item_not_yet_sent_from_the_end() {
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let mut items = ReaderThread::spawn(1, move |sender| {
            if wait.recv().is_ok() {
                let _ = sender.send(7);
            }
        });
        assert_eq!(items.try_next(), None);
        go.send(()).unwrap();
        assert_eq!(items.next(), Some(7));
        assert_eq!(items.next(), None);
        assert_eq!(items.try_next(), Some(None));
    }

    #[test]
    fn dropping_early_stops_and_joins_the_reader() {
        let finished = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&finished);
        let mut items = ReaderThread::spawn(1, move |sender| {
            for item in 0.. {
                if sender.send(item).is_err() {
                    break;
                }
            }
            flag.store(true, Ordering::SeqCst);
        });
        assert_eq!(items.next(), Some(0));
        drop(items);
        assert!(
            finished.load(Ordering::SeqCst),
            "the reader ran on after the drop"
        );
    }

    #[test]
    #[should_panic(expected = "reader bug")]
    fn a_reader_panic_reaches_the_consumer() {
        let items = ReaderThread::<u32>::spawn(1, |_sender| panic!("reader bug"));
        let _ = items.count();
    }
}
