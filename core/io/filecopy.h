#pragma once

#include "base/error.h"

#include <QString>

#include <functional>

namespace tfjs {

class JobContext;

// Where a copy stopped: the side that failed, the byte of that file, and why (an OS message,
// or for a source that ended early "the file ends at byte X, Y bytes expected").
struct CopyFailure
{
    enum class Side { Source, Target };
    Side side = Side::Source;
    qint64 offset = 0;
    QString why = {};
    bool sourceEnded = false;
};

// One byte range copied from one open file into another. Neither file position is used or
// moved: both ends are given as offsets.
struct FileCopy
{
    int source = -1;
    qint64 sourceOffset = 0;
    int target = -1;
    qint64 targetOffset = 0;
    qint64 size = 0;
    QString sourcePath = {}; // what the default messages call the files
    QString targetPath = {};
    // Called after each step with the target range just written (write-back, hashing ...); an
    // error it returns ends the copy with that error.
    std::function<Result<void>(qint64 targetOffset, qint64 bytes)> copied = {};
    // Words a failure; unset: copyFailureError().
    std::function<Error(const CopyFailure &)> describe = {};
    // Tests only: copy_file_range for at most this many steps, then read/write as after a
    // refusal (to walk the fallback in the middle of a copy). Negative: no limit.
    int kernelSteps = -1;
};

// "Cannot read <sourcePath>: the file ends at byte X, Y bytes expected", "Cannot read
// <sourcePath> at byte X: <OS message>" or "Cannot write <targetPath> at byte X: <OS message>",
// an ErrorCode::Io error with that path and offset.
Error copyFailureError(const FileCopy &copy, const CopyFailure &failure);

// Copies the range in the kernel (copy_file_range), in steps, continuing short copies and
// retrying EINTR. Where the kernel refuses at any point (EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, or
// any other error, or no progress) the rest goes through pread/pwrite, which either works or
// names the side that fails. A source shorter than the range is an error at its end. Checks
// `ctx` for cancellation before each step and reports the bytes of each step to it.
[[nodiscard]] Result<void> copyFileRange(const FileCopy &copy, JobContext *ctx = nullptr);

} // namespace tfjs
