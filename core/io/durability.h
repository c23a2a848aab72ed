#pragma once

namespace tfjs {

// How far a save goes before it reports success; IndexedDB's transaction `durability` hint.
// Every save is atomic either way: a failure, a cancel or a killed process leaves the
// destination as it was.
//  - Relaxed (the default, as cp, tfjs-node and Chromium's IndexedDB): the new files are
//    complete and renamed into place, but may still sit in the OS's cache; an OS crash or
//    power cut in the next seconds can lose the new version.
//  - Strict: data and names are synced to disk (fsync) before the save returns. A move
//    always saves its destination this way before it removes the source.
enum class Durability { Relaxed, Strict };

} // namespace tfjs
