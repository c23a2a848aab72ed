#pragma once

#include "base/error.h"
#include "base/json.h"

#include <QByteArrayView>
#include <QFile>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace tfjs {

class SpoolFile;
class WeightData;

// The bytes a browser value decoder (v8value.h, structuredclone.h) reads, and what becomes of
// the ArrayBuffers in them. This base class reads bytes in memory; buffers are copied into the
// Json as binaries. The inputs made from files (FileValueInput, FramedValueInput) leave buffers
// of kInPlaceMinimum bytes or more where they are: the decoder puts an empty binary whose
// subtype numbers the buffer's byte range in the Json, and appendBuffer() appends the range to
// WeightData as segments of the file, held open. A 100 MiB model's weights are then never read
// into memory by a load, and a copy of them is made by the kernel.
class ValueInput
{
public:
    static constexpr qint64 kInPlaceMinimum = 64 << 10;

    explicit ValueInput(QByteArrayView bytes) : m_bytes(bytes) {}
    virtual ~ValueInput() = default;
    ValueInput(const ValueInput &) = delete;
    ValueInput &operator=(const ValueInput &) = delete;

    QByteArrayView bytes() const { return m_bytes; }
    // Makes [offset, offset + size) of bytes() readable; an input that fills its bytes only when
    // read (FramedValueInput) fills them here. The range must lie within bytes().
    [[nodiscard]] virtual Result<void> need(qint64 offset, qint64 size);
    // The Json of the ArrayBuffer whose bytes are at `data` (within bytes()), `size` long: a
    // reference as described above, or nullopt when the decoder copies the bytes.
    std::optional<Json> reference(const char *data, qint64 size);
    // The reference to a part of a referenced buffer (a view of it); nullopt when `buffer` is
    // not a reference.
    std::optional<Json> subReference(const Json::binary_t &buffer, qint64 offset, qint64 size);
    // Appends what `buffer` holds (its bytes, or for a reference the bytes it stands for) to
    // `out`; `label` names them in later messages.
    [[nodiscard]] Result<void> appendBuffer(const Json::binary_t &buffer, WeightData &out,
                                            const QString &label);

protected:
    struct Range
    {
        qint64 offset = 0;
        qint64 size = 0;
    };
    void setBytes(QByteArrayView bytes, bool inPlace);
    // Appends [range.offset, + range.size) of bytes() as what stands behind them.
    [[nodiscard]] virtual Result<void> appendRange(Range range, WeightData &out,
                                                   const QString &label);

private:
    QByteArrayView m_bytes;
    bool m_inPlace = false;
    std::vector<Range> m_ranges;
};

// A file held open (SpoolFile::holdOpen) and mapped read-only.
class MappedFile
{
public:
    // `what` names the file in messages ("the blob file of ...").
    [[nodiscard]] static Result<std::unique_ptr<MappedFile>> open(const QString &path,
                                                                  const QString &what);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    QByteArrayView bytes() const { return m_bytes; }
    const std::shared_ptr<SpoolFile> &held() const { return m_held; }

private:
    MappedFile() = default;
    std::shared_ptr<SpoolFile> m_held;
    QFile m_file;
    uchar *m_map = nullptr;
    QByteArrayView m_bytes;
};

// A whole file (a Chromium IndexedDB blob) as a value input, mapped and held open, so the
// segments stay valid when the browser deletes or replaces the file.
class FileValueInput final : public ValueInput
{
public:
    [[nodiscard]] static Result<std::unique_ptr<FileValueInput>> open(const QString &path,
                                                                      const QString &what);

private:
    explicit FileValueInput(std::unique_ptr<MappedFile> file);
    Result<void> appendRange(Range range, WeightData &out, const QString &label) override;

    std::unique_ptr<MappedFile> m_file;
};

// A decoded value and the input its buffer references point into (null: no references).
struct DecodedValue
{
    Json json;
    std::shared_ptr<ValueInput> input;
};

} // namespace tfjs
