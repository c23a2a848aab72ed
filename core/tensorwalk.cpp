#include "tensorwalk.h"

#include "codec.h"
#include "job.h"

namespace tfjs {

namespace {

Error weightsError(const QString &message, const WeightSpec *spec, qint64 offset)
{
    Error error{ErrorCode::Weights, message};
    if (spec)
        error.tensor = QString::fromStdString(spec->name);
    error.offset = offset;
    return error;
}

} // namespace

Result<void> walkTensors(const std::vector<WeightSpec> &specs, const WeightData &data,
                         const TensorVisitor &visit, JobContext *ctx)
{
    QByteArray pending; // bytes read but not yet handed out
    qint64 pendingStart = 0;
    std::size_t next = 0;
    std::optional<Error> failure;

    // Hands out every tensor that `pending` holds completely.
    const auto drain = [&]() -> bool {
        qint64 used = 0;
        while (next < specs.size()) {
            const WeightSpec &spec = specs[next];
            const char *at = pending.constData() + used;
            const qint64 available = pending.size() - used;
            qint64 size = spec.byteSize();
            if (size < 0) { // string: only known by walking prefixes; may need more bytes
                auto sized = tensorByteSize(spec, at, available, pendingStart + used);
                if (!sized)
                    break; // wait for more data; at the end we re-check for a real error
                size = *sized;
            }
            if (available < size)
                break;
            auto visited = visit(TensorBytes{spec, next, pendingStart + used, at, size});
            if (!visited) {
                failure = visited.error();
                return false;
            }
            used += size;
            ++next;
            if (ctx)
                ctx->addItems();
        }
        if (used > 0) {
            pending.remove(0, used);
            pendingStart += used;
        }
        return true;
    };

    // Bytes after the last tensor: everything from the end of the last tensor on.
    const auto trailing = [&]() {
        const qint64 end = pendingStart;
        return weightsError(
            QStringLiteral("Weight data has %1 bytes after the last tensor%2.")
                .arg(data.size() - end)
                .arg(specs.empty() ? QString()
                                   : QStringLiteral(" '%1'").arg(QString::fromStdString(specs.back().name))),
            specs.empty() ? nullptr : &specs.back(), end);
    };
    auto read = data.read(
        [&](const char *bytes, qint64 size) {
            pending.append(bytes, size);
            if (!drain())
                return false;
            if (next >= specs.size() && !pending.isEmpty()) {
                failure = trailing();
                return false;
            }
            return true;
        },
        ctx);
    if (failure)
        return fail(*failure);
    if (!read)
        return read;
    if (next < specs.size()) {
        const WeightSpec &spec = specs[next];
        const qint64 available = pending.size();
        qint64 need = spec.byteSize();
        if (need < 0) {
            auto sized = tensorByteSize(spec, pending.constData(), available, pendingStart);
            if (!sized)
                return fail(sized.error());
            need = *sized;
        }
        return fail(weightsError(
            QStringLiteral("Weight data ends inside tensor '%1': it starts at byte %2 and needs "
                           "%3 bytes, but only %4 remain (%5 tensors of %6 are complete).")
                .arg(QString::fromStdString(spec.name))
                .arg(pendingStart)
                .arg(need)
                .arg(available)
                .arg(next)
                .arg(specs.size()),
            &spec, pendingStart));
    }
    if (!pending.isEmpty())
        return fail(trailing());
    return {};
}

} // namespace tfjs
