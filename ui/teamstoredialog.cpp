#include "teamstoredialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tfjs::ui {

TeamStoreDialog::TeamStoreDialog(const QString &initialUri, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Connect to Team Store"));
    m_uri = new QLineEdit(initialUri, this);
    m_uri->setObjectName(QStringLiteral("teamUri"));
    m_uri->setPlaceholderText(QStringLiteral("postgresql://alice@db.example:5432/models?sslmode=verify-full"));
    m_uri->setMinimumWidth(460);
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("teamPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("empty: ~/.pgpass or PGPASSWORD"));
    auto *note = new QLabel(tr("A PostgreSQL database the team shares; models go to its schema "
                               "“tfjs”. The password is kept until the app quits, never saved. "
                               "An empty URI disconnects."),
                            this);
    note->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("&URI:"), m_uri);
    form->addRow(tr("&Password:"), m_password);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    connect(m_uri, &QLineEdit::textChanged, this, [this, buttons](const QString &text) {
        buttons->button(QDialogButtonBox::Ok)->setText(text.trimmed().isEmpty() ? tr("&Disconnect") : tr("&Connect"));
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        emit connectRequested(uri(), password());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

QString TeamStoreDialog::uri() const
{
    return m_uri->text().trimmed();
}

QString TeamStoreDialog::password() const
{
    return m_password->text();
}

} // namespace tfjs::ui
