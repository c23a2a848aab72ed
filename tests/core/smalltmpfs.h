// A small tmpfs mounted on a temporary folder while the object lives: a disk a test can fill.
// Mounting needs root (CI runs as root); elsewhere the test skips, saying why.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>

#include <sys/mount.h>
#include <unistd.h>

namespace tfjs::test {

class SmallTmpfs
{
public:
    explicit SmallTmpfs(const char *size) // a tmpfs size option: "256k", "1m"
    {
        if (::geteuid() != 0) {
            m_why = QStringLiteral("Filling a disk needs a small tmpfs, which only root can mount "
                                   "(CI runs as root, so this runs there).");
            return;
        }
        const QByteArray options = QByteArray("size=") + size;
        if (::mount("tfjs-test", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0,
                    options.constData())
            != 0) {
            m_why = QStringLiteral("Filling a disk needs a small tmpfs, and mounting one failed "
                                   "here (%1; a container without the right to mount). CI mounts it.")
                        .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
        m_mounted = true;
    }
    ~SmallTmpfs()
    {
        if (m_mounted)
            ::umount(QFile::encodeName(m_dir.path()).constData());
    }
    SmallTmpfs(const SmallTmpfs &) = delete;
    SmallTmpfs &operator=(const SmallTmpfs &) = delete;

    bool mounted() const { return m_mounted; }
    QString skipReason() const { return m_why; }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // Remounts the file system read-only (what it holds stays readable); false on failure.
    bool makeReadOnly() const
    {
        return m_mounted
            && ::mount("tfjs-test", QFile::encodeName(m_dir.path()).constData(), "tmpfs",
                       MS_REMOUNT | MS_RDONLY, nullptr)
            == 0;
    }

    // Writes a file until the disk is full.
    void fill() const
    {
        QFile filler(m_dir.filePath(QStringLiteral("filler")));
        if (!filler.open(QIODevice::WriteOnly))
            return;
        const QByteArray block(4096, 'x');
        while (filler.write(block) == block.size() && filler.flush()) { }
    }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_why;
};

} // namespace tfjs::test

// Declares `var`, a mounted SmallTmpfs of `size`, or skips the test function.
#define TFJS_SMALL_TMPFS(var, size)                                                                \
    const tfjs::test::SmallTmpfs var(size);                                                        \
    if (!var.mounted())                                                                            \
        QSKIP(qPrintable(var.skipReason()));
