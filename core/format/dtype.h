#pragma once

#include <QString>

#include <optional>
#include <string_view>

namespace tfjs {

enum class DType { Float32, Int32, Bool, String, Complex64 };
enum class QuantDType { UInt8, UInt16, Float16 };

std::optional<DType> dtypeFromName(std::string_view name);
std::optional<QuantDType> quantDTypeFromName(std::string_view name);
const char *dtypeName(DType dtype);        // "float32", ...
const char *quantDTypeName(QuantDType dtype); // "uint8", ...

// Bytes one element takes on disk; 0 for string (variable, length-prefixed).
int elementSize(DType dtype);
int elementSize(QuantDType dtype);

} // namespace tfjs
