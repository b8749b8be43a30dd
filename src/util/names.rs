//! Sets of output paths: the files pages name (processed images,
//! fingerprinted assets), gathered from every page by every build, and
//! by every rebuild in `serve`. Hashed with foldhash, which takes a path
//! eight bytes a step where FNV (`fnv.rs`) takes one: at 10,000 pages
//! FNV's hashing was 5 ms of a one-page edit's rebuild. Paths are the
//! site's own and kept in memory only, so no flooding resistance is needed
//! and the hash need not be the same from one release to the next.

/// A set of output paths.
pub(crate) type NameSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
