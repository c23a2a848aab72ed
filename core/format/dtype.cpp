#include "dtype.h"

namespace tfjs {

std::optional<DType> dtypeFromName(std::string_view name)
{
    if (name == "float32")
        return DType::Float32;
    if (name == "int32")
        return DType::Int32;
    if (name == "bool")
        return DType::Bool;
    if (name == "string")
        return DType::String;
    if (name == "complex64")
        return DType::Complex64;
    return std::nullopt;
}

std::optional<QuantDType> quantDTypeFromName(std::string_view name)
{
    if (name == "uint8")
        return QuantDType::UInt8;
    if (name == "uint16")
        return QuantDType::UInt16;
    if (name == "float16")
        return QuantDType::Float16;
    return std::nullopt;
}

const char *dtypeName(DType dtype)
{
    switch (dtype) {
    case DType::Float32: return "float32";
    case DType::Int32: return "int32";
    case DType::Bool: return "bool";
    case DType::String: return "string";
    case DType::Complex64: return "complex64";
    }
    return "unknown";
}

const char *quantDTypeName(QuantDType dtype)
{
    switch (dtype) {
    case QuantDType::UInt8: return "uint8";
    case QuantDType::UInt16: return "uint16";
    case QuantDType::Float16: return "float16";
    }
    return "unknown";
}

int elementSize(DType dtype)
{
    switch (dtype) {
    case DType::Float32: return 4;
    case DType::Int32: return 4;
    case DType::Bool: return 1;
    case DType::String: return 0;
    case DType::Complex64: return 8;
    }
    return 0;
}

int elementSize(QuantDType dtype)
{
    switch (dtype) {
    case QuantDType::UInt8: return 1;
    case QuantDType::UInt16: return 2;
    case QuantDType::Float16: return 2;
    }
    return 0;
}

} // namespace tfjs
