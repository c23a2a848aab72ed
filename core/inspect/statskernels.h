#pragma once

// Accumulators and block kernels behind computeWeightStats (weightstats.h). Internal to the
// inspection area; exposed in a header so unit tests can check them against plain loops.

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace tfjs::stats {

// Neumaier's compensated sum: adding n terms loses about one rounding, not n.
struct CompensatedSum
{
    double sum = 0;
    double compensation = 0;

    void add(double value);
    void add(const CompensatedSum &other);
    double value() const { return sum + compensation; }
};

// First pass over a range of values: counts, finite min/max and the sums the mean, mean |x|
// and L2 norm come from. NaN and +-Inf are counted and otherwise ignored.
struct Moments
{
    std::int64_t count = 0;
    std::int64_t finite = 0;
    std::int64_t nan = 0;
    std::int64_t posInf = 0;
    std::int64_t negInf = 0;
    std::int64_t zeros = 0; // +0 and -0
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    CompensatedSum sum;
    CompensatedSum sumAbs;
    CompensatedSum sumSquares;

    void merge(const Moments &other);
};

// What the second pass needs from the first: the finite range, the histogram's bin count and
// the mean the squared deviations are taken from.
struct SpreadParams
{
    double lo = 0;    // finite min
    double scale = 0; // bins / (max - min), 0 when max == min
    double mean = 0;
    int bins = 0;     // 0: no histogram
    bool m2 = true;   // false: the first pass's sums already give the squared deviations
};

// The sum of squared deviations from the first pass alone, S - sum * mean, when that is
// accurate: the block sums have a relative error below 6e-14 (512 terms, all positive for S),
// so the result is within 2e-13 * S; it is used only when it is at least 1e-3 * S, i.e. within
// 2e-10 relative (std within 1e-10). nullopt: take the second pass (values far from zero
// compared with their spread, where the difference cancels).
std::optional<double> m2FromMoments(const Moments &moments);

// Second pass: the sum of squared deviations from the mean (for the population std) and the
// histogram. Bin of x: min(bins - 1, floor((x - lo) * scale)), computed in float64.
struct Spread
{
    CompensatedSum m2;
    std::vector<std::int64_t> counts; // bins entries (empty when bins == 0)

    void merge(const Spread &other);
};

// Block kernels. The float versions are the fast path for float32 data (including dequantized
// values); `values` may hold NaN/Inf. `hasNonFinite` in momentsF32's result tells the second
// pass whether the range needs its slower, checking path.
void momentsF32(const float *values, std::int64_t n, Moments &moments, bool &hasNonFinite);
void spreadF32(const float *values, std::int64_t n, const SpreadParams &params, bool hasNonFinite,
               Spread &spread);
// Doubles hold int32, bool and dequantized int32 values (all finite, all exact).
void momentsF64(const double *values, std::int64_t n, Moments &moments);
void spreadF64(const double *values, std::int64_t n, const SpreadParams &params, Spread &spread);

} // namespace tfjs::stats
