#include "statsaggregate.h"

#include "statspasses.h"

#include <algorithm>
#include <cmath>

namespace tfjs::stats {

double float16Step(double magnitude)
{
    if (!std::isfinite(magnitude))
        return ValueStats::kNone;
    if (magnitude < std::ldexp(1.0, -14))
        return std::ldexp(1.0, -24); // subnormal spacing
    int exponent = 0;
    std::frexp(magnitude, &exponent); // magnitude = f * 2^exponent, f in [0.5, 1)
    return std::ldexp(1.0, exponent - 11);
}

ValueStats valueStats(const Moments &m, double m2, bool constant)
{
    ValueStats v;
    v.count = m.count;
    v.finite = m.finite;
    v.nan = m.nan;
    v.posInf = m.posInf;
    v.negInf = m.negInf;
    v.zeros = m.zeros;
    v.l2 = std::sqrt(m.sumSquares.value());
    if (m.finite > 0) {
        const double n = double(m.finite);
        v.min = m.min;
        v.max = m.max;
        v.mean = constant ? m.min : m.sum.value() / n;
        v.meanAbs = constant ? std::fabs(m.min) : m.sumAbs.value() / n;
        v.std = constant ? 0.0 : std::sqrt(std::max(0.0, m2 / n));
    }
    return v;
}

TensorStats tensorStats(const Plan &plan, const WeightSpec &spec, int bins)
{
    TensorStats t;
    t.index = plan.index;
    t.name = spec.name;
    t.shape = spec.shape;
    t.dtype = spec.dtype;
    t.group = spec.group;
    t.quantization = spec.quantization;
    t.offset = plan.layout.offset;
    t.bytes = plan.layout.bytes;
    if (plan.kind == Kind::String) {
        t.numeric = false;
        t.values.count = spec.elementCount();
    } else {
        t.values = valueStats(plan.moments, plan.m2.value(), plan.constant);
        if (bins > 0 && plan.moments.finite > 0) {
            const auto [lo, hi] = histogramBounds(plan);
            t.histogram = Histogram { lo, hi, plan.counts };
        }
    }
    if (spec.quantization) {
        if (spec.quantization->dtype == QuantDType::Float16)
            t.step = t.values.finite > 0
                ? float16Step(std::max(std::fabs(t.values.min), std::fabs(t.values.max)))
                : ValueStats::kNone;
        else
            t.step = spec.quantization->scale.value_or(ValueStats::kNone);
    }
    return t;
}

void Aggregate::add(const Plan &plan)
{
    ++tensors;
    moments.merge(plan.moments);
    if (plan.moments.finite > 0) {
        const double mean = plan.constant
            ? plan.moments.min
            : plan.moments.sum.value() / double(plan.moments.finite);
        parts.emplace_back(&plan, mean);
    }
}

ValueStats Aggregate::result() const
{
    const bool constant = moments.finite > 0 && moments.min == moments.max;
    if (moments.finite == 0 || constant)
        return valueStats(moments, 0.0, constant);
    const double mean = moments.sum.value() / double(moments.finite);
    CompensatedSum m2;
    for (const auto &[plan, partMean] : parts) {
        m2.add(plan->m2);
        const double d = partMean - mean;
        m2.add(double(plan->moments.finite) * d * d);
    }
    return valueStats(moments, m2.value(), false);
}

} // namespace tfjs::stats
