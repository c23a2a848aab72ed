#pragma once

#include "base/error.h"

#include <QString>

#include <functional>

namespace tfjs {

// What a save (or a copy, move, rename or restore) does when its destination already holds a
// model. TF.js's API replaces silently; we refuse unless told.
//  - Refuse (the default): fail with existsError() and write nothing. Where the medium allows,
//    the check is atomic with the write (inside the store's transaction; a rename that does
//    not replace for folders).
//  - Replace: put the new model in place; a replaced store model goes to the store's trash.
// downloads:// never replaces (it picks "NAME (1)"), and http(s):// leaves it to the server.
enum class Existing { Refuse, Replace };

// The error of a refused save: ErrorCode::Exists, message "<url> already exists.", error.url
// the destination URL and error.path the model's path (for file:// the folder).
Error existsError(const QString &url, const QString &path);
// True for an error existsError() made: a refusal that Existing::Replace would lift (other
// ErrorCode::Exists errors, such as a file where a folder should be, are not).
bool isExistsError(const Error &error);

// The check a save makes before it reads or writes anything (the write checks again): with
// Refuse, existsError(url, path) when `holdsModel` says the destination holds a model.
[[nodiscard]] Result<void> refuseExisting(Existing existing, const std::function<Result<bool>()> &holdsModel,
                            const QString &url, const QString &path);

} // namespace tfjs
