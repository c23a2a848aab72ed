#include "openedmodel.h"

#include "file/filelisthandler.h"
#include "file/filehandler.h"
#include "file/modelfolder.h"
#include "base/job.h"
#include "browser/browserurl.h"
#include "handlers/registry.h"

#include <QDir>
#include <QFileInfo>

namespace tfjs::ui {

namespace {

// Not file:// nor a plain path.
bool isRemote(const QString &url)
{
    const auto parsed = ModelUrl::parse(url);
    return parsed ? !parsed->isLocal() : url.contains(QLatin1String("://"));
}

} // namespace

QString ModelSource::displayName() const
{
    if (!isFileSet())
        return url;
    if (files.size() == 1)
        return files.front();
    return QStringLiteral("%1 (+%2 weight files)").arg(files.front()).arg(files.size() - 1);
}

QString ModelSource::suggestedName() const
{
    QString path = isFileSet() ? files.front() : url;
    // A model found in a browser profile: the path its page saved it under.
    if (const auto parsed = ModelUrl::parse(path); parsed && !parsed->isLocal() && path.contains(QLatin1Char('?'))) {
        if (const auto found = BrowserUrl::parse(*parsed); found && found->model)
            return found->model->path;
    }
    if (const int query = path.indexOf(QLatin1Char('?')); query >= 0 && isRemote(path))
        path.truncate(query);
    if (const auto parsed = ModelUrl::parse(path); parsed && path.contains(QLatin1String("://"))) {
        if (!parsed->isLocal() && !parsed->scheme.startsWith(QLatin1String("http")))
            return parsed->path; // a store path is its own name
        path = parsed->path;
    }
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return QStringLiteral("model");
    QString last = parts.takeLast();
    if (last == QLatin1String(FileHandler::kModelFile) && !parts.isEmpty())
        return parts.last();
    if (last.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        last.chop(5);
    return last.isEmpty() ? QStringLiteral("model") : last;
}

QString modelUrlOf(const ModelSource &source)
{
    if (source.isFileSet())
        return {};
    if (isRemote(source.url))
        return source.url;
    QString path = ModelUrl::localPath(source.url);
    if (QFileInfo(path).isDir())
        path = modelJsonInFolder(path).value_or(path);
    return ModelUrl::fromLocalPath(path);
}

Result<OpenedModel> loadModel(const HandlerRegistry &registry, const ModelSource &source,
                              JobContext &ctx)
{
    OpenedModel model;
    model.source = source;
    std::unique_ptr<IOHandler> handler;
    if (source.isFileSet()) {
        handler = std::make_unique<FileListHandler>(source.files);
        model.jsonPath = source.files.front();
    } else {
        QString url = source.url;
        if (!isRemote(url)) {
            QString path = ModelUrl::localPath(url);
            // A folder opens its model (or FileHandler's message says why it cannot).
            if (QFileInfo(path).isDir())
                path = modelJsonInFolder(path).value_or(path);
            url = path;
            model.jsonPath = path;
        }
        auto created = registry.handlerFor(url);
        if (!created)
            return fail(created.error());
        handler = std::move(*created);
        if (!handler->canLoad())
            return fail(ErrorCode::Unsupported,
                        QStringLiteral("Models cannot be loaded from %1.").arg(source.url));
    }
    auto artifacts = handler->load(ctx, LoadOptions());
    if (!artifacts)
        return fail(artifacts.error());
    if (ctx.isCancelled())
        return fail(cancelledError());
    model.artifacts = std::move(*artifacts);
    model.overview = overviewOf(model.artifacts);
    if (!model.jsonPath.isEmpty()) {
        const QFileInfo info(model.jsonPath);
        model.modified = info.lastModified().toUTC();
        model.jsonBytes = info.size();
    }
    return model;
}

namespace {

qsizetype longestLineOf(const QByteArray &text)
{
    qsizetype longest = 0, start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        longest = std::max(longest, end - start);
        start = end + 1;
    }
    return longest;
}

QString cutText(const std::string_view text, qint64 maxBytes, bool *truncated)
{
    std::size_t end = text.size();
    *truncated = qint64(end) > maxBytes;
    if (*truncated) {
        end = std::size_t(maxBytes);
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end; // do not cut a UTF-8 sequence
    }
    return QString::fromUtf8(text.data(), qsizetype(end));
}

} // namespace

JsonText modelJsonText(const ModelArtifacts &artifacts, JsonTextMode mode, qint64 maxBytes)
{
    JsonText out;
    const QByteArray &file = artifacts.jsonText;
    out.hasFile = !file.isEmpty();
    out.longestLine = out.hasFile ? longestLineOf(file) : 0;
    const bool showFile = out.canShowFile()
                          && (mode == JsonTextMode::File
                              || (mode == JsonTextMode::Auto && out.longestLine <= kLongJsonLine));
    if (showFile) {
        out.text = cutText(std::string_view(file.constData(), std::size_t(file.size())), maxBytes, &out.truncated);
        return out;
    }
    Json json;
    if (out.hasFile) {
        auto parsed = parseJson(std::string_view(file.constData(), std::size_t(file.size())), {});
        json = parsed ? std::move(*parsed) : Json(); // the handler parsed it already
    } else {
        json = modelJson(artifacts, artifacts.manifest, JsonLayout::Node);
    }
    const std::string text = json.dump(2, ' ', false, Json::error_handler_t::replace);
    out.text = cutText(text, maxBytes, &out.truncated);
    out.indented = true;
    return out;
}

} // namespace tfjs::ui
