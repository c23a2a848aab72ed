#pragma once

#include "format/artifacts.h"
#include "base/error.h"
#include "format/modeloverview.h"

#include <QDateTime>
#include <QStringList>

#include <memory>

namespace tfjs {
class HandlerRegistry;
class JobContext;
} // namespace tfjs

namespace tfjs::ui {

// What to open: a URL the registry knows (a plain path is file://), or a set of chosen or
// dropped files (a model JSON first, then its weight files) read through core's FileListHandler.
struct ModelSource
{
    QString url;
    QStringList files;

    static ModelSource fromUrl(QString url) { return {std::move(url), {}}; }
    static ModelSource fromFiles(QStringList files) { return {{}, std::move(files)}; }
    bool isFileSet() const { return !files.isEmpty(); }
    // What the title bar, the recent list and messages show.
    QString displayName() const;
    // A short name to save the model under: the model's folder for model.json, else the
    // JSON's base name, a store's or a browser profile's model path, else the last part of the
    // URL.
    QString suggestedName() const;
    bool operator==(const ModelSource &) const = default;
};

// A model loaded for the inspector. Immutable once built; shared with the jobs that work on it.
struct OpenedModel
{
    ModelSource source;
    ModelArtifacts artifacts;
    ModelOverview overview;
    QDateTime modified;  // of the JSON file, when local
    QString jsonPath;    // the local JSON read, when local
    qint64 jsonBytes = -1;
};
using OpenedModelPtr = std::shared_ptr<const OpenedModel>;

// The URL core's handlers load a source from: remote URLs as given, local paths as file:// (a
// folder without model.json as its only JSON). Empty for a file set (it has no URL).
QString modelUrlOf(const ModelSource &source);

// Loads a model with its weights described (file segments for local files, bytes for remote
// ones). A local folder opens its model.json, or its only JSON when it has no model.json.
Result<OpenedModel> loadModel(const HandlerRegistry &registry, const ModelSource &source,
                              JobContext &ctx);

// What the JSON tab shows of a model.
enum class JsonTextMode {
    Auto,     // the file as it is, unless it has a line longer than kLongJsonLine (minified)
    File,     // the file's bytes as they are (Indented when there is no file)
    Indented, // the file's document (from a store: the model JSON as TF.js writes it),
              // indented by 2 spaces, keys in their order
};
inline constexpr qsizetype kLongJsonLine = 160;   // wider than a window: minified JSON
inline constexpr qsizetype kMaxFileLine = 256 << 10; // longer lines are only shown indented

struct JsonText
{
    QString text;
    bool indented = false;
    bool truncated = false;   // cut at the limit given
    bool hasFile = false;     // there is file text (artifacts.jsonText)
    qsizetype longestLine = 0; // of the file text, in bytes
    bool canShowFile() const { return hasFile && longestLine <= kMaxFileLine; }
};

// The JSON tab's text, at most `maxBytes` characters (UTF-8 sequences are not cut).
JsonText modelJsonText(const ModelArtifacts &artifacts, JsonTextMode mode, qint64 maxBytes);

} // namespace tfjs::ui
