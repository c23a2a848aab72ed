#pragma once

#include "format/artifacts.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace tfjs {

class SpoolFile;

// The parts of one upload as TF.js's http handler sends them (multipart/form-data):
// "model.json" (kept in memory, at most `jsonLimit` bytes) and, when the model has weight
// bytes, "model.weights.bin" (written into an unnamed SpoolFile in `spoolFolder`, so nothing is
// left behind whatever happens). Fed chunk by chunk by the HTTP server's multipart parser.
// Errors (ErrorCode::Format, Error::status 400 or 413) name the part.
class UploadSpool
{
public:
    UploadSpool(QString spoolFolder, qint64 jsonLimit);
    ~UploadSpool();

    // `offset` is where `data` lies in part `name`; a part that starts again at 0 is a
    // duplicate. Any other part name is refused.
    [[nodiscard]] Result<void> add(const QByteArray &name, quint64 offset, const char *data, qint64 size);
    // The model: model.json's fields, the weight bytes as the spool file. Refused: no
    // model.json, invalid JSON or model, weight bytes that differ from what the manifest
    // describes. `where` names the model in messages.
    [[nodiscard]] Result<ModelArtifacts> finish(const QString &where);

private:
    QString m_folder;
    qint64 m_jsonLimit;
    QByteArray m_json;
    bool m_hasJson = false;
    std::shared_ptr<SpoolFile> m_weights;
    qint64 m_weightsSize = 0;
};

} // namespace tfjs
