#include "messages.h"

#include "icons.h"

#include <QCoreApplication>

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace tfjs::ui {

void showError(QWidget *parent, const QString &what, const Error &error)
{
    auto *box = new QMessageBox(QMessageBox::Warning, QObject::tr("TFJS Model Manager"), what,
                                QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setInformativeText(error.message);
    const QString details = error.toString();
    if (details != error.message)
        box->setDetailedText(details);
    box->open();
}

void confirm(QWidget *parent, const QString &title, const QString &text, const QString &yesText,
             std::function<void()> onYes)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("confirmBox"));
    QPushButton *yes = box->addButton(yesText, QMessageBox::DestructiveRole);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::finished, box, [box, yes, onYes = std::move(onYes)] {
        if (box->clickedButton() == yes)
            onYes();
    });
    box->open();
}

void askReplace(QWidget *parent, const QString &text, const QString &informative,
                const QString &keepBothAs, std::function<void(ReplaceAnswer)> onAnswer)
{
    auto *box = new QMessageBox(QMessageBox::Question, QObject::tr("Replace Model?"), text,
                                QMessageBox::Cancel, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setObjectName(QStringLiteral("replaceBox"));
    box->setInformativeText(informative);
    QPushButton *replace = box->addButton(QObject::tr("&Replace"), QMessageBox::DestructiveRole);
    QPushButton *keepBoth = nullptr;
    if (!keepBothAs.isEmpty()) {
        keepBoth = box->addButton(QObject::tr("&Keep Both"), QMessageBox::AcceptRole);
        keepBoth->setToolTip(QObject::tr("Saves as %1").arg(keepBothAs));
    }
    box->setDefaultButton(QMessageBox::Cancel);
    box->setEscapeButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::finished, box, [box, replace, keepBoth, onAnswer = std::move(onAnswer)] {
        const QAbstractButton *clicked = box->clickedButton();
        onAnswer(clicked == replace    ? ReplaceAnswer::Replace
                 : clicked && clicked == keepBoth ? ReplaceAnswer::KeepBoth
                                               : ReplaceAnswer::Cancel);
    });
    box->open();
}

void askText(QWidget *parent, const QString &title, const QString &label, const QString &initial,
             std::function<void(const QString &)> onAccepted)
{
    auto *dialog = new QInputDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("askTextDialog"));
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextValue(initial);
    dialog->resize(480, dialog->sizeHint().height());
    QObject::connect(dialog, &QInputDialog::textValueSelected, dialog,
                     [onAccepted = std::move(onAccepted)](const QString &text) {
                         if (!text.trimmed().isEmpty())
                             onAccepted(text.trimmed());
                     });
    dialog->open();
}

void showAbout(QWidget *parent)
{
    auto *box = new QMessageBox(
        QMessageBox::NoIcon, QObject::tr("About TFJS Model Manager"),
        QObject::tr("<b>TFJS Model Manager</b> %1<p>Browse, inspect, convert and upload TensorFlow.js models; "
                    "files stay byte-compatible with TF.js.</p><p>Qt %2 (built with %3)</p>")
            .arg(QCoreApplication::applicationVersion().toHtmlEscaped(), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR)),
        QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("aboutBox"));
    box->setIconPixmap(icon(IconId::App).pixmap(64, 64));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace tfjs::ui
