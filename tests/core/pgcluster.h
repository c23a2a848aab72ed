// A throwaway PostgreSQL cluster for the team store's tests: initdb and pg_ctl in a temporary
// folder, listening only on a Unix socket there, stopped (immediately) and deleted when the
// object goes. No mocks: Debian's postgresql-15 server. initdb refuses to run as root, so
// under root (CI) the server runs as `nobody` through runuser.
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

#include <pwd.h>
#include <unistd.h>

namespace tfjs::test {

class PgCluster
{
public:
    // Starts the cluster; on failure error() says why (and start() returns false).
    bool start()
    {
        const QString bin = binDir();
        if (bin.isEmpty())
            return failed(QStringLiteral("PostgreSQL's initdb was not found (Debian package "
                                         "postgresql-15, /usr/lib/postgresql/*/bin)."));
        m_bin = bin;
        if (!m_dir.isValid())
            return failed(QStringLiteral("no temporary folder"));
        m_data = m_dir.path() + QStringLiteral("/data");
        m_socket = m_dir.path() + QStringLiteral("/sock");
        QDir().mkpath(m_socket);
        if (::geteuid() == 0) {
            const passwd *nobody = ::getpwnam("nobody");
            if (!nobody)
                return failed(QStringLiteral("running as root, and there is no user 'nobody' to run "
                                             "the PostgreSQL server as"));
            for (const QString &path : {m_dir.path(), m_socket}) {
                if (::chown(QFile::encodeName(path).constData(), nobody->pw_uid, nobody->pw_gid) != 0)
                    return failed(QStringLiteral("cannot hand %1 to nobody").arg(path));
            }
            m_asNobody = true;
        }
        if (!run(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), m_data, QStringLiteral("-U"), superuser(),
                  QStringLiteral("--auth=trust"), QStringLiteral("-N"), QStringLiteral("-E"),
                  QStringLiteral("UTF8"), QStringLiteral("--locale=C")}))
            return false;
        if (!run(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), m_data, QStringLiteral("-l"), m_dir.path() + QStringLiteral("/log"),
                  QStringLiteral("-w"), QStringLiteral("-o"),
                  QStringLiteral("-k %1 -c listen_addresses= -c fsync=off -c max_connections=60")
                      .arg(m_socket),
                  QStringLiteral("start")}))
            return false;
        m_started = true;
        return true;
    }

    ~PgCluster()
    {
        if (m_started)
            run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-m"),
                                           QStringLiteral("immediate"), QStringLiteral("stop")});
    }

    QString error() const { return m_error; }
    static QString superuser() { return QStringLiteral("tfjs"); }
    QString socketDir() const { return m_socket; }
    // A libpq URI for `database` as `user` over the cluster's socket.
    QString uri(const QString &database, const QString &user = superuser()) const
    {
        return QStringLiteral("postgresql:///%1?host=%2&user=%3").arg(database, m_socket, user);
    }

    // Runs SQL as the superuser in `database` with psql; returns its output (tuples only,
    // unaligned), or a null string on failure (error() says why).
    QString psql(const QString &sql, const QString &database = QStringLiteral("postgres"))
    {
        QProcess process;
        process.start(m_bin + QStringLiteral("/psql"),
                      {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                       QStringLiteral("-t"), QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"),
                       uri(database), QStringLiteral("-c"), sql});
        process.waitForFinished(60000);
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            m_error = QString::fromLocal8Bit(process.readAllStandardError());
            return {};
        }
        const QString out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        return out.isNull() ? QStringLiteral("") : out;
    }

    // Makes the role `role` with `password` and has the server ask it for that password
    // (scram-sha-256 over the socket; everyone else stays trusted). True when done.
    bool requirePassword(const QString &role, const QString &password)
    {
        if (psql(QStringLiteral("CREATE ROLE %1 LOGIN PASSWORD '%2'").arg(role, password)).isNull())
            return false;
        QFile hba(m_data + QStringLiteral("/pg_hba.conf"));
        if (!hba.open(QIODevice::ReadOnly))
            return failed(QStringLiteral("cannot read pg_hba.conf"));
        const QByteArray rules = QStringLiteral("local all %1 scram-sha-256\n").arg(role).toUtf8() + hba.readAll();
        hba.close();
        if (!hba.open(QIODevice::WriteOnly | QIODevice::Truncate) || hba.write(rules) != rules.size())
            return failed(QStringLiteral("cannot write pg_hba.conf"));
        hba.close();
        if (!run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("reload")}))
            return false;
        // The server reads the rules on its next turn: wait until it asks the role.
        QProcess probe;
        for (int attempt = 0; attempt < 100; ++attempt) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(QStringLiteral("PGPASSWORD"));
            env.insert(QStringLiteral("PGPASSFILE"), QStringLiteral("/nonexistent"));
            probe.setProcessEnvironment(env);
            probe.start(m_bin + QStringLiteral("/psql"), {QStringLiteral("-X"), QStringLiteral("-w"),
                                                          uri(QStringLiteral("postgres"), role),
                                                          QStringLiteral("-c"), QStringLiteral("SELECT 1")});
            probe.waitForFinished(10000);
            if (probe.exitCode() != 0)
                return true;
            QThread::msleep(50);
        }
        return failed(QStringLiteral("the server never asked %1 for a password").arg(role));
    }

    // Writes `text` to `path` readable by its owner only (libpq ignores a password file others
    // can read).
    static bool writePrivate(const QString &path, const QByteArray &text)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size()
            && file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    }

    // A new, empty database; its URI.
    QString createDatabase(const QString &name)
    {
        if (psql(QStringLiteral("CREATE DATABASE %1").arg(name)).isNull())
            return {};
        return uri(name);
    }

private:
    static QString binDir()
    {
        const QDir versions(QStringLiteral("/usr/lib/postgresql"));
        QStringList found = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (auto it = found.crbegin(); it != found.crend(); ++it) {
            const QString bin = versions.filePath(*it) + QStringLiteral("/bin");
            if (QFile::exists(bin + QStringLiteral("/initdb")))
                return bin;
        }
        const QString onPath = QStandardPaths::findExecutable(QStringLiteral("initdb"));
        return onPath.isEmpty() ? QString() : QFileInfo(onPath).absolutePath();
    }

    bool run(const QString &tool, const QStringList &args)
    {
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.setWorkingDirectory(m_dir.path());
        if (m_asNobody)
            process.start(QStringLiteral("runuser"),
                          QStringList{QStringLiteral("-u"), QStringLiteral("nobody"), QStringLiteral("--"),
                                      m_bin + QLatin1Char('/') + tool}
                              + args);
        else
            process.start(m_bin + QLatin1Char('/') + tool, args);
        if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit
            || process.exitCode() != 0)
            return failed(QStringLiteral("%1 failed: %2").arg(tool, QString::fromLocal8Bit(process.readAll())));
        return true;
    }

    bool failed(const QString &why)
    {
        m_error = why;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QString m_data;
    QString m_socket;
    QString m_error;
    bool m_asNobody = false;
    bool m_started = false;
};

} // namespace tfjs::test
