#pragma once

#include "json.h"

#include <cmath>

namespace tfjs {

// A finite number as itself, NaN and +-Inf (which JSON cannot hold) as null.
inline Json finiteOrNull(double value)
{
    return std::isfinite(value) ? Json(value) : Json(nullptr);
}

} // namespace tfjs
