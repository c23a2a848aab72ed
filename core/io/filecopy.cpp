#include "filecopy.h"

#include "base/job.h"

#include <QByteArray>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tfjs {

namespace {

constexpr qint64 kStep = 8 << 20;

CopyFailure osFailure(CopyFailure::Side side, qint64 offset, int code)
{
    return {side, offset, QString::fromLocal8Bit(std::strerror(code)), false};
}

// The copy as it goes: both offsets move together.
class Copier
{
public:
    Copier(const FileCopy &copy, JobContext *ctx)
        : m_copy(copy), m_ctx(ctx), m_from(copy.sourceOffset), m_to(copy.targetOffset),
          m_kernelStepsLeft(copy.kernelSteps)
    {
    }

    Result<void> run()
    {
        // Read ahead twice as far, as cp does: from a cold disk the read decides the speed.
        ::posix_fadvise(m_copy.source, m_copy.sourceOffset, m_copy.size, POSIX_FADV_SEQUENTIAL);
        for (qint64 left = m_copy.size; left > 0;) {
            if (m_ctx && m_ctx->isCancelled())
                return fail(cancelledError());
            const qint64 step = std::min(left, kStep);
            auto done = m_kernel ? kernelStep(step) : userStep(step);
            if (!done)
                return fail(done.error());
            if (*done == 0)
                continue; // the kernel refused: this step again by read/write
            left -= *done;
            if (m_ctx)
                m_ctx->addBytes(*done);
            if (m_copy.copied) {
                if (auto ok = m_copy.copied(m_to - *done, *done); !ok)
                    return ok;
            }
        }
        return {};
    }

private:
    Error failed(const CopyFailure &failure) const
    {
        return m_copy.describe ? m_copy.describe(failure) : copyFailureError(m_copy, failure);
    }

    // Bytes copied by copy_file_range; 0 after switching to read/write.
    Result<qint64> kernelStep(qint64 step)
    {
        if (m_kernelStepsLeft == 0) {
            m_kernel = false;
            return 0;
        }
        for (;;) {
            loff_t from = m_from;
            loff_t to = m_to;
            const ssize_t n = ::copy_file_range(m_copy.source, &from, m_copy.target, &to,
                                                std::size_t(step), 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                // Refused (other file systems, old kernels, special files) or failed, or no
                // progress (some file systems report 0 instead of refusing): read/write either
                // carries on or says which side fails and why.
                m_kernel = false;
                return 0;
            }
            if (m_kernelStepsLeft > 0)
                --m_kernelStepsLeft;
            m_from += n;
            m_to += n;
            return qint64(n);
        }
    }

    Result<qint64> userStep(qint64 step)
    {
        if (m_buffer.size() < step)
            m_buffer.resize(step);
        qint64 got = 0;
        for (;;) {
            const ssize_t n = ::pread(m_copy.source, m_buffer.data(), std::size_t(step), m_from);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return fail(failed(osFailure(CopyFailure::Side::Source, m_from, errno)));
            got = n;
            break;
        }
        if (got == 0) {
            // Where the file ends: here, or before here when the range started past its end.
            qint64 end = m_from;
            struct stat st{};
            if (::fstat(m_copy.source, &st) == 0 && st.st_size < end)
                end = st.st_size;
            return fail(failed({CopyFailure::Side::Source, end,
                                QStringLiteral("the file ends at byte %1, %2 bytes expected")
                                    .arg(end)
                                    .arg(m_copy.sourceOffset + m_copy.size),
                                true}));
        }
        for (qint64 put = 0; put < got;) {
            const ssize_t n = ::pwrite(m_copy.target, m_buffer.constData() + put,
                                       std::size_t(got - put), m_to + put);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return fail(failed(osFailure(CopyFailure::Side::Target, m_to + put,
                                             n < 0 ? errno : ENOSPC)));
            put += n;
        }
        m_from += got;
        m_to += got;
        return got;
    }

    const FileCopy &m_copy;
    JobContext *m_ctx;
    qint64 m_from;
    qint64 m_to;
    int m_kernelStepsLeft;
    bool m_kernel = true;
    QByteArray m_buffer;
};

} // namespace

Error copyFailureError(const FileCopy &copy, const CopyFailure &failure)
{
    const bool source = failure.side == CopyFailure::Side::Source;
    const QString &path = source ? copy.sourcePath : copy.targetPath;
    Error error{ErrorCode::Io,
                failure.sourceEnded
                    ? QStringLiteral("Cannot read %1: %2").arg(path, failure.why)
                    : QStringLiteral("Cannot %1 %2 at byte %3: %4")
                          .arg(source ? QStringLiteral("read") : QStringLiteral("write"), path)
                          .arg(failure.offset)
                          .arg(failure.why)};
    error.path = path;
    error.offset = failure.offset;
    return error;
}

Result<void> copyFileRange(const FileCopy &copy, JobContext *ctx)
{
    return Copier(copy, ctx).run();
}

} // namespace tfjs
