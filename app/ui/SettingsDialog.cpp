#include "app/ui/SettingsDialog.h"

#include "app/session/AppSettings.h"
#include "app/session/Autostart.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tern::app::ui {

QList<QPair<QString, QString>> SettingsDialog::languages()
{
    return {{QStringLiteral("en"), QStringLiteral("English")},
            {QStringLiteral("de"), QStringLiteral("Deutsch")}};
}

SettingsDialog::SettingsDialog(session::AppSettings *settings, QWidget *parent)
    : QDialog(parent), m_settings(settings),
      m_closeToTray(
          new QCheckBox(tr("Keep Tern running in the tray when the window is closed"), this)),
      m_startAtLogin(new QCheckBox(tr("Start Tern when I log in"), this)),
      m_hidePreviews(new QCheckBox(tr("Hide message text in notifications"), this)),
      m_language(new QComboBox(this)), m_account(new QLabel(this)),
      m_tokenWarning(new QLabel(this)), m_signOut(new QPushButton(tr("Sign out"), this)),
      m_hostedBox(new QGroupBox(tr("Server on this computer"), this)),
      m_hosted(new QLabel(m_hostedBox))
{
    setWindowTitle(tr("Settings"));
    setObjectName(QStringLiteral("settingsDialog"));
    m_closeToTray->setObjectName(QStringLiteral("closeToTrayCheck"));
    m_startAtLogin->setObjectName(QStringLiteral("startAtLoginCheck"));
    m_hidePreviews->setObjectName(QStringLiteral("hidePreviewsCheck"));
    m_language->setObjectName(QStringLiteral("languageCombo"));
    m_signOut->setObjectName(QStringLiteral("signOutButton"));
    m_closeToTray->setChecked(settings->closeToTray());
    m_startAtLogin->setChecked(settings->startAtLogin());
    m_hidePreviews->setChecked(settings->hidePreviews());
    m_language->addItem(tr("System language"), QString());
    for (const auto &[code, name] : languages())
        m_language->addItem(name, code);
    m_language->setCurrentIndex(qMax(0, m_language->findData(settings->language())));
    m_language->setAccessibleName(tr("Language"));
    m_account->setTextFormat(Qt::PlainText);
    m_account->setWordWrap(true);
    m_tokenWarning->setTextFormat(Qt::PlainText);
    m_tokenWarning->setWordWrap(true);
    m_tokenWarning->setText(tr("No system keychain is available: your session key is kept in "
                               "Tern's data folder. Anyone who can read your files can use it."));
    m_tokenWarning->hide();
    m_signOut->setAccessibleName(tr("Sign out of this account"));

    auto *behaviour = new QGroupBox(tr("Behaviour"), this);
    auto *behaviourLayout = new QVBoxLayout(behaviour);
    behaviourLayout->addWidget(m_closeToTray);
    behaviourLayout->addWidget(m_startAtLogin);
    behaviourLayout->addWidget(m_hidePreviews);
    auto *languageBox = new QGroupBox(tr("Language"), this);
    auto *languageLayout = new QFormLayout(languageBox);
    languageLayout->addRow(tr("Language:"), m_language);
    auto *restartNote = new QLabel(tr("A new language applies after Tern restarts."), languageBox);
    languageLayout->addRow(restartNote);
    auto *accountBox = new QGroupBox(tr("Account"), this);
    auto *accountLayout = new QVBoxLayout(accountBox);
    accountLayout->addWidget(m_account);
    accountLayout->addWidget(m_tokenWarning);
    accountLayout->addWidget(m_signOut, 0, Qt::AlignLeft);

    m_hosted->setObjectName(QStringLiteral("hostedServerLabel"));
    m_hosted->setTextFormat(Qt::PlainText);
    m_hosted->setWordWrap(true);
    // To copy an address, with the mouse or the keyboard.
    m_hosted->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    auto *hostedLayout = new QVBoxLayout(m_hostedBox);
    hostedLayout->addWidget(m_hosted);
    m_hostedBox->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("okButton"));
    buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelButton"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(behaviour);
    layout->addWidget(languageBox);
    layout->addWidget(accountBox);
    layout->addWidget(m_hostedBox);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_signOut, &QPushButton::clicked, this, [this] {
        emit signOutRequested();
        accept();
    });
}

void SettingsDialog::setAccount(const QString &who, const QString &server, bool tokenInKeychain)
{
    m_account->setText(tr("Signed in as %1 on %2").arg(who, server));
    m_tokenWarning->setVisible(!tokenInKeychain);
}

void SettingsDialog::setHostedServer(const QString &text)
{
    m_hosted->setText(text);
    m_hostedBox->setVisible(!text.isEmpty());
}

void SettingsDialog::focusHostedServer()
{
    if (m_hosted->text().isEmpty())
        m_hosted->setText(tr("No server is running on this computer."));
    m_hostedBox->show();
    m_hosted->setFocus(Qt::OtherFocusReason);
}

void SettingsDialog::apply()
{
    m_settings->setCloseToTray(m_closeToTray->isChecked());
    m_settings->setHidePreviews(m_hidePreviews->isChecked());
    if (m_startAtLogin->isChecked() != m_settings->startAtLogin()) {
        QStringList args{QStringLiteral("--minimized")};
        if (!m_settings->profileDir().isEmpty())
            args << QStringLiteral("--profile") << m_settings->profileDir();
        if (session::Autostart::setEnabled(m_startAtLogin->isChecked(),
                                           QCoreApplication::applicationFilePath(), args))
            m_settings->setStartAtLogin(m_startAtLogin->isChecked());
    }
    const QString language = m_language->currentData().toString();
    if (language != m_settings->language()) {
        m_settings->setLanguage(language);
        emit languageChanged(language);
    }
}

} // namespace tern::app::ui
