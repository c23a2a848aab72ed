#pragma once

#include <QDialog>

class QLineEdit;

namespace tfjs::ui {

// Browser → Connect to Team Store…: the team store's PostgreSQL connection URI and, when the
// server wants one that ~/.pgpass and PGPASSWORD do not give, a password. The password is kept
// for the session only (never in settings); an empty URI disconnects.
class TeamStoreDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TeamStoreDialog)

public:
    explicit TeamStoreDialog(const QString &initialUri, QWidget *parent = nullptr);

    QString uri() const;
    QString password() const;

signals:
    // Accepted: connect with `uri` (empty: disconnect) and `password` (empty: libpq's own).
    void connectRequested(const QString &uri, const QString &password);

private:
    QLineEdit *m_uri;
    QLineEdit *m_password;
};

} // namespace tfjs::ui
