#pragma once

#include "base/error.h"

namespace tfjs {

// The one rule for a local folder given where a model is expected (CLI verbs, file:// loads,
// folders opened, dropped or chosen in the app): the folder opens its model.json, else its only
// *.json file. Otherwise it is not one model, and the error names the folder (path set):
// NotFound when it holds no JSON file, InvalidArgument when it holds several (listed) and no
// model.json. The app then treats it as a folder of models.
[[nodiscard]] Result<QString> modelJsonInFolder(const QString &folder);

} // namespace tfjs
