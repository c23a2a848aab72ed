#pragma once

#include <QString>

#include <cstdint>
#include <expected>

namespace tfjs {

enum class ErrorCode {
    InvalidArgument, // a caller passed something unusable (bad URL, empty path, ...)
    NotFound,        // a model, file, shard or key that should exist does not
    Exists,          // the destination exists in a way that forbids the operation
    Io,              // the operating system refused a read or write
    Parse,           // bytes are not valid JSON
    Format,          // valid JSON, but not a valid TF.js model / manifest
    Weights,         // weight bytes disagree with the specs (size, dtype, quantization)
    Unsupported,     // a scheme, dtype or feature this build does not handle
    Network,         // a transfer failed below HTTP (refused, reset, TLS, timeout)
    Http,            // the server answered with a non-success status
    Quota,           // a store's size limit would be exceeded
    Store,           // a store is locked, corrupt, read-only or from a newer schema
    Cancelled,       // the user cancelled; not a failure
};

// Stable lower-case name of a code, used in JSON output and tests ("not-found").
QString errorCodeName(ErrorCode code);

// An error is a value: what went wrong and where. Empty "where" fields are unknown.
struct Error
{
    Error() = default;
    Error(ErrorCode code, QString message) : code(code), message(std::move(message)) {}

    ErrorCode code = ErrorCode::InvalidArgument;
    QString message;   // one sentence, self-contained, naming the object at fault
    QString path;      // file or model path
    QString shard;     // shard path as written in the manifest
    QString tensor;    // tensor (weight) name
    qint64 offset = -1; // byte offset in the file, shard or concatenated weight data
    QString url;       // URL (never with credentials)
    int status = 0;    // HTTP status
    QString detail;    // further text: a response body excerpt, an OS message

    bool isCancelled() const { return code == ErrorCode::Cancelled; }
    bool operator==(const Error &) const = default; // every field
    // The message followed by a bracketed list of the known "where" fields.
    QString toString() const;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, QString message)
{
    return std::unexpected(Error{code, std::move(message)});
}
inline std::unexpected<Error> fail(Error error)
{
    return std::unexpected(std::move(error));
}
Error cancelledError();

} // namespace tfjs
