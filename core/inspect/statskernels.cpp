#include "statskernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// The float32 fast path uses GCC/Clang vector extensions: portable SIMD that compiles to SSE2 on
// baseline x86-64 (and NEON on ARM) without -march flags. On x86-64 the two entry points are
// also cloned for AVX2 (picked at load time); FMA stays off, so results are the same bits.

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TFJS_KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define TFJS_KERNEL
#endif
// Helpers are inlined into each clone so they are compiled for its instruction set.
#define TFJS_INLINE [[gnu::always_inline]] inline

namespace tfjs::stats {

namespace {

using f4 = float __attribute__((vector_size(16)));
using i4 = std::int32_t __attribute__((vector_size(16)));
using d4 = double __attribute__((vector_size(32)));
using l4 = std::int64_t __attribute__((vector_size(32)));

// Values per block: the block's sums are plain (in 8 lanes), blocks are added compensated.
constexpr std::int64_t kBlock = 512;

// a < b ? a : b, lane by lane: what minps computes (NaN in a gives b).
TFJS_INLINE f4 vmin(f4 a, f4 b)
{
    return a < b ? a : b;
}

TFJS_INLINE f4 vmax(f4 a, f4 b)
{
    return a > b ? a : b;
}

TFJS_INLINE i4 vminInt(i4 a, i4 b)
{
    return a < b ? a : b;
}

// 32-byte vectors stay local variables (passing them by value would change the ABI without AVX).
constexpr std::int64_t kMagnitude = 0x7fffffffffffffffLL;

TFJS_INLINE f4 load(const float *at)
{
    f4 x;
    std::memcpy(&x, at, sizeof x);
    return x;
}

// Any values, NaN and Inf included, one at a time. Block sums are plain, blocks compensated.
template <typename T>
TFJS_INLINE void momentsScalar(const T *values, std::int64_t n, Moments &m)
{
    for (std::int64_t start = 0; start < n; start += kBlock) {
        const std::int64_t end = std::min(n, start + kBlock);
        double sum = 0, sumAbs = 0, sumSquares = 0;
        for (std::int64_t i = start; i < end; ++i) {
            const double x = values[i];
            if (std::isnan(x)) {
                ++m.nan;
            } else if (std::isinf(x)) {
                ++(x > 0 ? m.posInf : m.negInf);
            } else {
                ++m.finite;
                if (x == 0)
                    ++m.zeros;
                m.min = std::min(m.min, x);
                m.max = std::max(m.max, x);
                sum += x;
                sumAbs += std::fabs(x);
                sumSquares += x * x;
            }
        }
        m.count += end - start;
        m.sum.add(sum);
        m.sumAbs.add(sumAbs);
        m.sumSquares.add(sumSquares);
    }
}

TFJS_INLINE int binOf(double x, const SpreadParams &p)
{
    const int bin = static_cast<int>((x - p.lo) * p.scale); // >= 0: x >= lo
    return std::min(bin, p.bins - 1);
}

template <typename T>
TFJS_INLINE void spreadScalar(const T *values, std::int64_t n, const SpreadParams &p, Spread &s)
{
    for (std::int64_t start = 0; start < n; start += kBlock) {
        const std::int64_t end = std::min(n, start + kBlock);
        double m2 = 0;
        for (std::int64_t i = start; i < end; ++i) {
            const double x = values[i];
            if (!std::isfinite(x))
                continue;
            if (p.m2) {
                const double deviation = x - p.mean;
                m2 += deviation * deviation;
            }
            if (p.bins > 0)
                ++s.counts[std::size_t(binOf(x, p))];
        }
        s.m2.add(m2);
    }
}

// One block of kBlock float32 values. Returns false, committing nothing, when the block holds
// NaN or Inf: its plain sum is then not finite (the sum of kBlock finite floats cannot
// overflow a double).
TFJS_INLINE bool momentsBlock(const float *v, Moments &m)
{
    const float inf = std::numeric_limits<float>::infinity();
    f4 min0 = {inf, inf, inf, inf}, min1 = min0;
    f4 max0 = -min0, max1 = -min0;
    d4 sum0 = {}, sum1 = {}, abs0 = {}, abs1 = {}, sq0 = {}, sq1 = {};
    const l4 magnitude = {kMagnitude, kMagnitude, kMagnitude, kMagnitude};
    i4 zeros0 = {}, zeros1 = {};
    const f4 zero = {};
    for (std::int64_t i = 0; i < kBlock; i += 8) {
        const f4 x0 = load(v + i);
        const f4 x1 = load(v + i + 4);
        min0 = vmin(x0, min0);
        min1 = vmin(x1, min1);
        max0 = vmax(x0, max0);
        max1 = vmax(x1, max1);
        zeros0 -= (x0 == zero);
        zeros1 -= (x1 == zero);
        const d4 y0 = __builtin_convertvector(x0, d4);
        const d4 y1 = __builtin_convertvector(x1, d4);
        sum0 += y0;
        sum1 += y1;
        abs0 += reinterpret_cast<d4>(reinterpret_cast<l4>(y0) & magnitude);
        abs1 += reinterpret_cast<d4>(reinterpret_cast<l4>(y1) & magnitude);
        sq0 += y0 * y0;
        sq1 += y1 * y1;
    }
    const d4 sums = sum0 + sum1;
    const double sum = (sums[0] + sums[1]) + (sums[2] + sums[3]);
    if (!std::isfinite(sum))
        return false;
    const f4 lo = vmin(min0, min1);
    const f4 hi = vmax(max0, max1);
    const i4 z = zeros0 + zeros1;
    m.count += kBlock;
    m.finite += kBlock;
    m.zeros += std::int64_t(z[0]) + z[1] + z[2] + z[3];
    m.min = std::min({m.min, double(lo[0]), double(lo[1]), double(lo[2]), double(lo[3])});
    m.max = std::max({m.max, double(hi[0]), double(hi[1]), double(hi[2]), double(hi[3])});
    m.sum.add(sum);
    const d4 abs = abs0 + abs1;
    const d4 squares = sq0 + sq1;
    m.sumAbs.add((abs[0] + abs[1]) + (abs[2] + abs[3]));
    m.sumSquares.add((squares[0] + squares[1]) + (squares[2] + squares[3]));
    return true;
}

TFJS_INLINE bool blockIsFinite(const float *v)
{
    const i4 exponent = {0x7f800000, 0x7f800000, 0x7f800000, 0x7f800000};
    i4 any = {};
    for (std::int64_t i = 0; i < kBlock; i += 4) {
        i4 bits;
        std::memcpy(&bits, v + i, sizeof bits);
        any |= ((bits & exponent) == exponent);
    }
    return (any[0] | any[1] | any[2] | any[3]) == 0;
}

// One block of kBlock finite float32 values; returns the block's sum of squared deviations
// (0 without M2). `sub` holds 4 sub-histograms of p.bins counts (one per lane, so increments
// of the same bin do not wait on each other).
template <bool M2, bool Histogram>
TFJS_INLINE double spreadBlock(const float *v, const SpreadParams &p, std::int64_t *sub)
{
    const d4 mean = {p.mean, p.mean, p.mean, p.mean};
    const d4 lo = {p.lo, p.lo, p.lo, p.lo};
    const d4 scale = {p.scale, p.scale, p.scale, p.scale};
    const i4 last = {p.bins - 1, p.bins - 1, p.bins - 1, p.bins - 1};
    const std::size_t stride = std::size_t(p.bins);
    alignas(32) std::int32_t bins[kBlock];
    d4 m0 = {}, m1 = {};
    // First the bins of the whole block with vector code only: few loads in flight per cache
    // line, so the memory stream runs ahead. Then the increments, from this core's L1.
    for (std::int64_t i = 0; i < kBlock; i += 8) {
        const d4 y0 = __builtin_convertvector(load(v + i), d4);
        const d4 y1 = __builtin_convertvector(load(v + i + 4), d4);
        if constexpr (M2) {
            const d4 dev0 = y0 - mean;
            const d4 dev1 = y1 - mean;
            m0 += dev0 * dev0;
            m1 += dev1 * dev1;
        }
        if constexpr (Histogram) {
            const i4 k0 = vminInt(__builtin_convertvector((y0 - lo) * scale, i4), last);
            const i4 k1 = vminInt(__builtin_convertvector((y1 - lo) * scale, i4), last);
            std::memcpy(bins + i, &k0, sizeof k0);
            std::memcpy(bins + i + 4, &k1, sizeof k1);
        }
    }
    if constexpr (Histogram) {
        std::int64_t *h0 = sub, *h1 = sub + stride, *h2 = sub + 2 * stride, *h3 = sub + 3 * stride;
        for (std::int64_t i = 0; i < kBlock; i += 4) {
            ++h0[bins[i]];
            ++h1[bins[i + 1]];
            ++h2[bins[i + 2]];
            ++h3[bins[i + 3]];
        }
    }
    const d4 m2 = m0 + m1;
    return (m2[0] + m2[1]) + (m2[2] + m2[3]);
}

template <bool M2, bool Histogram>
TFJS_INLINE void spreadBlocks(const float *values, std::int64_t n, const SpreadParams &params,
                              bool hasNonFinite, Spread &spread, std::int64_t *sub)
{
    std::int64_t i = 0;
    for (; i + kBlock <= n; i += kBlock) {
        if (hasNonFinite && !blockIsFinite(values + i)) {
            spreadScalar(values + i, kBlock, params, spread);
            continue;
        }
        const double m2 = spreadBlock<M2, Histogram>(values + i, params, sub);
        if constexpr (M2)
            spread.m2.add(m2);
    }
    if (i < n)
        spreadScalar(values + i, n - i, params, spread);
}

} // namespace

void CompensatedSum::add(double value)
{
    const double t = sum + value;
    if (std::fabs(sum) >= std::fabs(value))
        compensation += (sum - t) + value;
    else
        compensation += (value - t) + sum;
    sum = t;
}

void CompensatedSum::add(const CompensatedSum &other)
{
    add(other.sum);
    add(other.compensation);
}

std::optional<double> m2FromMoments(const Moments &m)
{
    if (m.finite == 0)
        return std::nullopt;
    const double squares = m.sumSquares.value();
    const double mean = m.sum.value() / double(m.finite);
    const double m2 = squares - m.sum.value() * mean;
    if (!(squares > 0) || !(m2 >= 1e-3 * squares) || !std::isfinite(m2))
        return std::nullopt;
    return m2;
}

void Moments::merge(const Moments &o)
{
    count += o.count;
    finite += o.finite;
    nan += o.nan;
    posInf += o.posInf;
    negInf += o.negInf;
    zeros += o.zeros;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
    sum.add(o.sum);
    sumAbs.add(o.sumAbs);
    sumSquares.add(o.sumSquares);
}

void Spread::merge(const Spread &o)
{
    m2.add(o.m2);
    if (counts.size() < o.counts.size())
        counts.resize(o.counts.size());
    for (std::size_t i = 0; i < o.counts.size(); ++i)
        counts[i] += o.counts[i];
}

TFJS_KERNEL void momentsF32(const float *values, std::int64_t n, Moments &moments, bool &hasNonFinite)
{
    hasNonFinite = false;
    std::int64_t i = 0;
    for (; i + kBlock <= n; i += kBlock) {
        if (!momentsBlock(values + i, moments)) {
            hasNonFinite = true;
            momentsScalar(values + i, kBlock, moments);
        }
    }
    if (i < n) {
        const std::int64_t before = moments.finite;
        momentsScalar(values + i, n - i, moments);
        if (moments.finite - before != n - i)
            hasNonFinite = true;
    }
}

TFJS_KERNEL void spreadF32(const float *values, std::int64_t n, const SpreadParams &params,
                           bool hasNonFinite, Spread &spread)
{
    if (params.bins > 0 && spread.counts.size() != std::size_t(params.bins))
        spread.counts.assign(std::size_t(params.bins), 0);
    const std::size_t stride = std::size_t(params.bins);
    std::vector<std::int64_t> sub(4 * stride, 0);
    if (params.m2 && params.bins > 0)
        spreadBlocks<true, true>(values, n, params, hasNonFinite, spread, sub.data());
    else if (params.m2)
        spreadBlocks<true, false>(values, n, params, hasNonFinite, spread, sub.data());
    else if (params.bins > 0)
        spreadBlocks<false, true>(values, n, params, hasNonFinite, spread, sub.data());
    for (std::size_t k = 0; k < stride; ++k)
        spread.counts[k] += sub[k] + sub[stride + k] + sub[2 * stride + k] + sub[3 * stride + k];
}

void momentsF64(const double *values, std::int64_t n, Moments &moments)
{
    momentsScalar(values, n, moments);
}

void spreadF64(const double *values, std::int64_t n, const SpreadParams &params, Spread &spread)
{
    if (params.bins > 0 && spread.counts.size() != std::size_t(params.bins))
        spread.counts.assign(std::size_t(params.bins), 0);
    spreadScalar(values, n, params, spread);
}

} // namespace tfjs::stats
