#include "weightdiff.h"

#include "base/job.h"
#include "format/codec.h"
#include "format/weightlayout.h"
#include "inspect/statsplan.h"
#include "inspect/workers.h"
#include "io/bytesource.h"

#include <QCryptographicHash>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>

namespace tfjs {

namespace {

using stats::CompensatedSum;
using stats::Kind;
using stats::Plan;

// One model's side of the comparison.
struct Side
{
    QString label; // "A" or "B", in messages
    const std::vector<WeightSpec> *specs = nullptr;
    ByteSource source;
    WeightLayout layout;
};

// What one unit of work found; merged per tensor.
struct Partial
{
    std::int64_t values = 0;
    std::int64_t changed = 0;
    std::int64_t nonFinite = 0;
    std::int64_t finite = 0;
    double maxAbs = 0;
    CompensatedSum sumAbs;
    CompensatedSum squaredDiff;
    CompensatedSum squaredA;
    CompensatedSum squaredB;
    CompensatedSum dot;

    void merge(const Partial &o)
    {
        values += o.values;
        changed += o.changed;
        nonFinite += o.nonFinite;
        finite += o.finite;
        maxAbs = std::max(maxAbs, o.maxAbs);
        sumAbs.add(o.sumAbs);
        squaredDiff.add(o.squaredDiff);
        squaredA.add(o.squaredA);
        squaredB.add(o.squaredB);
        dot.add(o.dot);
    }
};

// A unit of work: values [from, from + count) of both sides of a matched numeric tensor, a
// whole string tensor, or the fingerprint of a tensor only one side has.
struct Item
{
    enum class Work { Compare, CompareStrings, Fingerprint };
    Work work = Work::Compare;
    std::size_t diff = 0;
    const Plan *planA = nullptr; // Fingerprint: the side's plan, in planA
    const Plan *planB = nullptr;
    const Side *side = nullptr; // Fingerprint only
    std::int64_t from = 0;
    std::int64_t count = 0;
    Partial result;
    QByteArray fingerprint;
};

Result<Plan> planOf(const Side &side, std::size_t index)
{
    return stats::planTensor(index, (*side.specs)[index], side.layout[index], side.source,
        std::numeric_limits<qint64>::max() / 4, 0);
}

template<typename Code, typename Table>
void lookUp(const char *p, std::int64_t count, const Table &table, double *out)
{
    for (std::int64_t i = 0; i < count; ++i) {
        Code code;
        std::memcpy(&code, p + i * std::int64_t(sizeof(Code)), sizeof(Code));
        out[i] = double(table[code]);
    }
}

template<typename Raw> void widen(const char *p, std::int64_t count, double *out)
{
    for (std::int64_t i = 0; i < count; ++i) {
        Raw value;
        std::memcpy(&value, p + i * std::int64_t(sizeof(Raw)), sizeof(Raw));
        out[i] = double(value);
    }
}

// `count` values of `plan` from their bytes at `p`, as doubles, as the codec decodes them.
void decodeValues(const Plan &plan, const char *p, std::int64_t count, double *out)
{
    const int width = stats::valueWidth(plan);
    switch (plan.kind) {
    case Kind::Float32:
        widen<float>(p, count, out);
        break;
    case Kind::Int32:
        widen<std::int32_t>(p, count, out);
        break;
    case Kind::FloatTable:
        if (width == 1)
            lookUp<std::uint8_t>(p, count, plan.floatTable, out);
        else
            lookUp<std::uint16_t>(p, count, plan.floatTable, out);
        break;
    case Kind::DoubleTable:
        if (width == 1)
            lookUp<std::uint8_t>(p, count, plan.doubleTable, out);
        else
            lookUp<std::uint16_t>(p, count, plan.doubleTable, out);
        break;
    case Kind::String:
        break;
    }
}

// Values [from, from + count) of `plan` as doubles.
Result<void> decodeRange(const Plan &plan, const ByteSource &source, std::int64_t from,
    std::int64_t count, std::vector<double> &out)
{
    const int width = stats::valueWidth(plan);
    auto view = source.view(plan.layout.offset + from * width, count * width);
    if (!view)
        return fail(view.error());
    out.resize(std::size_t(count));
    decodeValues(plan, view->data, count, out.data());
    return {};
}

// Values compared per block: both blocks stay in the first-level cache.
constexpr std::int64_t kBlock = 2048;

// Plain float64 sums over one block, added compensated per block.
void compareValues(const double *a, const double *b, std::size_t n, Partial &r)
{
    double maxAbs = 0, sumAbs = 0, squaredDiff = 0, squaredA = 0, squaredB = 0, dot = 0;
    std::int64_t changed = 0, finite = 0, nonFinite = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = a[i];
        const double y = b[i];
        if (std::isfinite(x) && std::isfinite(y)) [[likely]] {
            const double d = std::fabs(x - y);
            ++finite;
            changed += d != 0 ? 1 : 0;
            maxAbs = std::max(maxAbs, d);
            sumAbs += d;
            squaredDiff += d * d;
            squaredA += x * x;
            squaredB += y * y;
            dot += x * y;
        } else if (!(x == y || (std::isnan(x) && std::isnan(y)))) {
            ++changed;
            ++nonFinite;
        }
    }
    r.values += std::int64_t(n);
    r.changed += changed;
    r.finite += finite;
    r.nonFinite += nonFinite;
    r.maxAbs = std::max(r.maxAbs, maxAbs);
    r.sumAbs.add(sumAbs);
    r.squaredDiff.add(squaredDiff);
    r.squaredA.add(squaredA);
    r.squaredB.add(squaredB);
    r.dot.add(dot);
}

Result<std::vector<std::string>> strings(const Side &side, std::size_t index)
{
    const TensorExtent &extent = side.layout[index];
    auto view = side.source.view(extent.offset, extent.bytes);
    if (!view)
        return fail(view.error());
    auto tensor = decodeTensor((*side.specs)[index], view->data, view->size, extent.offset);
    if (!tensor)
        return fail(tensor.error());
    return std::get<std::vector<std::string>>(std::move(tensor->values));
}

// SHA-256 over the shape and the decoded values (-0 as +0, one NaN), so that a tensor and its
// copy under another name (or another encoding of the same values) hash alike.
// Also sums the squares of the finite values into `sums` (for the totals of a renamed tensor).
Result<QByteArray> fingerprint(const Side &side, std::size_t index, const Plan &plan,
    qint64 chunkValues, JobContext &ctx, Partial &sums)
{
    const WeightSpec &spec = (*side.specs)[index];
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(shapeText(spec.shape).toUtf8());
    if (plan.kind == Kind::String) {
        auto values = strings(side, index);
        if (!values)
            return fail(values.error());
        for (const std::string &s : *values) {
            const quint32 size = quint32(s.size());
            hash.addData(QByteArrayView(reinterpret_cast<const char *>(&size), 4));
            hash.addData(QByteArrayView(s.data(), qsizetype(s.size())));
        }
        return hash.result();
    }
    std::vector<double> values;
    for (std::int64_t from = 0; from < plan.values; from += chunkValues) {
        if (ctx.isCancelled())
            return fail(cancelledError());
        const std::int64_t count = std::min<std::int64_t>(chunkValues, plan.values - from);
        if (auto decoded = decodeRange(plan, side.source, from, count, values); !decoded)
            return fail(decoded.error());
        for (double &v : values) {
            if (std::isfinite(v)) {
                ++sums.finite;
                sums.squaredA.add(v * v);
            }
            if (v == 0)
                v = 0;
            else if (std::isnan(v))
                v = std::numeric_limits<double>::quiet_NaN();
        }
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(values.data()),
            qsizetype(values.size() * sizeof(double))));
        ctx.addBytes(count * stats::valueWidth(plan));
    }
    return hash.result();
}

Result<void> runItem(Item &item, const Side &a, const Side &b, qint64 chunkValues, JobContext &ctx)
{
    switch (item.work) {
    case Item::Work::Fingerprint: {
        auto hashed = fingerprint(
            *item.side, item.planA->index, *item.planA, chunkValues, ctx, item.result);
        if (!hashed)
            return fail(hashed.error());
        item.fingerprint = *hashed;
        return {};
    }
    case Item::Work::CompareStrings: {
        auto x = strings(a, item.planA->index);
        if (!x)
            return fail(x.error());
        auto y = strings(b, item.planB->index);
        if (!y)
            return fail(y.error());
        for (std::size_t i = 0; i < x->size(); ++i)
            item.result.changed += (*x)[i] != (*y)[i] ? 1 : 0;
        item.result.values = std::int64_t(x->size());
        ctx.addBytes(item.planA->layout.bytes + item.planB->layout.bytes);
        return {};
    }
    case Item::Work::Compare: {
        const int widthA = stats::valueWidth(*item.planA);
        const int widthB = stats::valueWidth(*item.planB);
        auto viewA
            = a.source.view(item.planA->layout.offset + item.from * widthA, item.count * widthA);
        if (!viewA)
            return fail(viewA.error());
        auto viewB
            = b.source.view(item.planB->layout.offset + item.from * widthB, item.count * widthB);
        if (!viewB)
            return fail(viewB.error());
        double x[kBlock];
        double y[kBlock];
        for (std::int64_t at = 0; at < item.count; at += kBlock) {
            const std::int64_t n = std::min(kBlock, item.count - at);
            decodeValues(*item.planA, viewA->data + at * widthA, n, x);
            decodeValues(*item.planB, viewB->data + at * widthB, n, y);
            compareValues(x, y, std::size_t(n), item.result);
        }
        ctx.addBytes(
            item.count * (stats::valueWidth(*item.planA) + stats::valueWidth(*item.planB)));
        return {};
    }
    }
    return {};
}

// Where the items of a matched tensor are cut besides every chunk: where either side's plan
// cut it (at the segment boundaries of its weight data, so that a view is a mapping of one
// shard, not a copy across two).
std::vector<std::int64_t> cutsOf(const Plan &a, const Plan &b)
{
    std::vector<std::int64_t> cuts = { 0, a.values };
    for (const Plan *plan : { &a, &b }) {
        const int width = stats::valueWidth(*plan);
        for (const stats::Item &item : plan->items)
            cuts.push_back((item.offset - plan->layout.offset) / width);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

void finish(TensorDiff &d, const Partial &p)
{
    d.values = p.values;
    d.changed = p.changed;
    d.nonFinite = p.nonFinite;
    d.finitePairs = p.finite;
    if (d.a->dtype == DType::String)
        return;
    d.sumAbs = p.sumAbs.value();
    d.sumSquaredDiff = p.squaredDiff.value();
    d.sumSquaredA = p.squaredA.value();
    if (p.finite == 0)
        return;
    d.maxAbs = p.maxAbs;
    d.meanAbs = d.sumAbs / double(p.finite);
    const double normA = std::sqrt(d.sumSquaredA);
    const double normB = std::sqrt(p.squaredB.value());
    const double normD = std::sqrt(d.sumSquaredDiff);
    d.relativeL2
        = normA > 0 ? normD / normA : (normD > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    if (normA > 0 && normB > 0)
        d.cosine = std::clamp(p.dot.value() / (normA * normB), -1.0, 1.0);
}

bool comparable(const WeightSpec &a, const WeightSpec &b)
{
    const bool stringA = a.dtype == DType::String;
    const bool stringB = b.dtype == DType::String;
    const bool complexA = a.dtype == DType::Complex64;
    const bool complexB = b.dtype == DType::Complex64;
    return a.shape == b.shape && stringA == stringB && complexA == complexB;
}

Result<Side> sideOf(const ModelArtifacts &artifacts, const QString &label, JobContext &ctx)
{
    static const std::vector<WeightSpec> kNoSpecs;
    Side side { label, artifacts.weightSpecs ? &*artifacts.weightSpecs : &kNoSpecs,
        ByteSource(artifacts.weightData), {} };
    auto layout = checkWeightLayout(
        *side.specs, artifacts.weightData, QStringLiteral("model %1").arg(label), &ctx);
    if (!layout)
        return fail(layout.error());
    side.layout = std::move(*layout);
    return side;
}

std::map<std::string, std::size_t> indexByName(const std::vector<WeightSpec> &specs)
{
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < specs.size(); ++i)
        index.emplace(specs[i].name, i);
    return index;
}

// Removed/Added pairs with equal fingerprints become one Renamed entry (first match wins).
void matchRenames(std::vector<TensorDiff> &diffs, const std::vector<QByteArray> &prints)
{
    std::vector<bool> erased(diffs.size(), false);
    for (std::size_t r = 0; r < diffs.size(); ++r) {
        if (diffs[r].status != TensorDiff::Status::Removed || prints[r].isEmpty())
            continue;
        for (std::size_t n = 0; n < diffs.size(); ++n) {
            if (erased[n] || diffs[n].status != TensorDiff::Status::Added || prints[n] != prints[r])
                continue;
            TensorDiff &d = diffs[r];
            d.status = TensorDiff::Status::Renamed;
            d.newName = diffs[n].name;
            d.b = diffs[n].b;
            d.compared = true;
            d.values = d.a->elementCount() * (d.a->dtype == DType::Complex64 ? 2 : 1);
            if (d.a->dtype != DType::String && d.finitePairs > 0) {
                d.maxAbs = d.meanAbs = d.relativeL2 = 0;
                if (d.sumSquaredA > 0)
                    d.cosine = 1;
            }
            erased[n] = true;
            break;
        }
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < diffs.size(); ++i)
        if (!erased[i]) {
            if (kept != i)
                diffs[kept] = std::move(diffs[i]);
            ++kept;
        }
    diffs.resize(kept);
}

} // namespace

Result<std::vector<TensorDiff>> diffWeights(const ModelArtifacts &modelA,
    const ModelArtifacts &modelB, const WeightDiffOptions &options, JobContext &ctx)
{
    if (options.chunkBytes <= 0 || options.threads < 0)
        return fail(ErrorCode::InvalidArgument,
            QStringLiteral("Diff options need a positive chunk size and a thread count that "
                           "is not negative."));
    auto sideA = sideOf(modelA, QStringLiteral("A"), ctx);
    if (!sideA)
        return fail(sideA.error());
    auto sideB = sideOf(modelB, QStringLiteral("B"), ctx);
    if (!sideB)
        return fail(sideB.error());
    const Side &a = *sideA;
    const Side &b = *sideB;
    const auto namesA = indexByName(*a.specs);
    const auto namesB = indexByName(*b.specs);
    for (const QString &name : options.tensors) {
        if (!namesA.contains(name.toStdString()) && !namesB.contains(name.toStdString())) {
            Error error { ErrorCode::NotFound,
                QStringLiteral("Neither model has a tensor named '%1'.").arg(name) };
            error.tensor = name;
            return fail(error);
        }
    }
    const auto wanted = [&](const std::string &name) {
        return options.tensors.isEmpty() || options.tensors.contains(QString::fromStdString(name));
    };

    // The entries, and the plans their items read (a deque-like list: pointers stay valid).
    std::vector<TensorDiff> diffs;
    std::vector<std::unique_ptr<Plan>> plans;
    std::vector<Item> items;
    const qint64 chunkValues = std::max<qint64>(1, options.chunkBytes / 4);
    qint64 total = 0;
    const auto plan = [&](const Side &side, std::size_t index) -> Result<const Plan *> {
        auto made = planOf(side, index);
        if (!made)
            return fail(made.error());
        plans.push_back(std::make_unique<Plan>(std::move(*made)));
        return plans.back().get();
    };
    const auto single
        = [&](const Side &side, std::size_t index, TensorDiff::Status status) -> Result<void> {
        TensorDiff d;
        d.status = status;
        d.name = (*side.specs)[index].name;
        (status == TensorDiff::Status::Added ? d.b : d.a) = (*side.specs)[index];
        auto p = plan(side, index);
        if (!p)
            return fail(p.error());
        Item item;
        item.work = Item::Work::Fingerprint;
        item.diff = diffs.size();
        item.planA = *p;
        item.side = &side;
        items.push_back(std::move(item));
        total += (*p)->kind == Kind::String ? 0 : (*p)->layout.bytes;
        diffs.push_back(std::move(d));
        return {};
    };
    for (std::size_t i = 0; i < a.specs->size(); ++i) {
        const WeightSpec &spec = (*a.specs)[i];
        if (!wanted(spec.name))
            continue;
        const auto match = namesB.find(spec.name);
        if (match == namesB.end()) {
            if (auto added = single(a, i, TensorDiff::Status::Removed); !added)
                return fail(added.error());
            continue;
        }
        TensorDiff d;
        d.name = spec.name;
        d.a = spec;
        d.b = (*b.specs)[match->second];
        d.compared = comparable(*d.a, *d.b);
        if (d.compared) {
            auto pa = plan(a, i);
            if (!pa)
                return fail(pa.error());
            auto pb = plan(b, match->second);
            if (!pb)
                return fail(pb.error());
            Item item;
            item.diff = diffs.size();
            item.planA = *pa;
            item.planB = *pb;
            if ((*pa)->kind == Kind::String) {
                item.work = Item::Work::CompareStrings;
                items.push_back(item);
                total += (*pa)->layout.bytes + (*pb)->layout.bytes;
            }
            const std::vector<std::int64_t> cuts = cutsOf(**pa, **pb);
            for (std::size_t c = 0; (*pa)->kind != Kind::String && c + 1 < cuts.size(); ++c) {
                for (std::int64_t from = cuts[c]; from < cuts[c + 1]; from += chunkValues) {
                    item.from = from;
                    item.count = std::min<std::int64_t>(chunkValues, cuts[c + 1] - from);
                    items.push_back(item);
                }
            }
            if ((*pa)->kind != Kind::String)
                total += (*pa)->layout.bytes + (*pb)->layout.bytes;
        }
        diffs.push_back(std::move(d));
    }
    for (std::size_t i = 0; i < b.specs->size(); ++i) {
        const WeightSpec &spec = (*b.specs)[i];
        if (wanted(spec.name) && !namesA.contains(spec.name))
            if (auto added = single(b, i, TensorDiff::Status::Added); !added)
                return fail(added.error());
    }

    ctx.setStage(QStringLiteral("Comparing weights"), total);
    std::atomic<std::size_t> next { 0 };
    std::mutex mutex;
    std::optional<Error> failure;
    const auto work = [&] {
        for (;;) {
            if (ctx.isCancelled())
                return;
            {
                std::lock_guard lock(mutex);
                if (failure)
                    return;
            }
            const std::size_t i = next.fetch_add(1);
            if (i >= items.size())
                return;
            if (auto ran = runItem(items[i], a, b, chunkValues, ctx); !ran) {
                std::lock_guard lock(mutex);
                if (!failure)
                    failure = ran.error();
                return;
            }
        }
    };
    const int wantedThreads = options.threads > 0 ? options.threads : QThread::idealThreadCount();
    runWorkers(std::clamp<int>(
                   int(std::min<std::size_t>(std::size_t(wantedThreads), items.size())), 1, 256),
        work);
    if (failure)
        return fail(*failure);
    if (ctx.isCancelled())
        return fail(cancelledError());

    std::vector<Partial> partials(diffs.size());
    std::vector<QByteArray> prints(diffs.size());
    for (const Item &item : items) {
        partials[item.diff].merge(item.result);
        if (item.work == Item::Work::Fingerprint)
            prints[item.diff] = item.fingerprint;
    }
    for (std::size_t i = 0; i < diffs.size(); ++i) {
        TensorDiff &d = diffs[i];
        if (d.a && d.b) {
            if (d.compared)
                finish(d, partials[i]);
            const bool same = d.compared && d.changed == 0 && !d.dtypeChanged()
                && TensorDiff::encoding(*d.a) == TensorDiff::encoding(*d.b);
            d.status = same ? TensorDiff::Status::Identical : TensorDiff::Status::Changed;
        } else if (d.a) { // Removed; a rename keeps these for the totals
            d.sumSquaredA = partials[i].squaredA.value();
            d.finitePairs = partials[i].finite;
        }
    }
    matchRenames(diffs, prints);
    return diffs;
}

} // namespace tfjs
