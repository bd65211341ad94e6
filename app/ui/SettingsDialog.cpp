#include "app/ui/SettingsDialog.h"

#include "app/session/AppSettings.h"
#include "app/session/Autostart.h"
#include "app/ui/ConnectionSecurityLabel.h"
#include "app/ui/FingerprintView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
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
      m_connectionBox(new QGroupBox(tr("Connection"), this)),
      m_connectionServer(new QLabel(m_connectionBox)),
      m_security(
          new ConnectionSecurityLabel(QStringLiteral("connectionSecurityLabel"), m_connectionBox)),
      m_fingerprint(new FingerprintView(QStringLiteral("connectionFingerprint"), m_connectionBox)),
      m_pinnedSince(new QLabel(m_connectionBox)),
      m_replacePin(new QPushButton(tr("Replace the pinned certificate…"), m_connectionBox)),
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

    m_connectionServer->setObjectName(QStringLiteral("connectionServerLabel"));
    m_pinnedSince->setObjectName(QStringLiteral("pinnedSinceLabel"));
    m_replacePin->setObjectName(QStringLiteral("replacePinButton"));
    m_replacePin->setAccessibleName(tr("Replace the pinned certificate"));
    for (QLabel *label : {m_connectionServer, m_pinnedSince}) {
        label->setTextFormat(Qt::PlainText);
        label->setWordWrap(true);
    }
    m_connectionServer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *connectionLayout = new QVBoxLayout(m_connectionBox);
    connectionLayout->addWidget(m_connectionServer);
    connectionLayout->addWidget(m_security);
    connectionLayout->addWidget(m_fingerprint);
    connectionLayout->addWidget(m_pinnedSince);
    connectionLayout->addWidget(m_replacePin, 0, Qt::AlignLeft);
    m_connectionBox->hide();
    connect(m_replacePin, &QPushButton::clicked, this, &SettingsDialog::replacePinRequested);

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
    layout->addWidget(m_connectionBox);
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

void SettingsDialog::setConnection(const QUrl &server, const QSslCertificate &certificate,
                                   const QString &protocol, const QDateTime &pinnedSince,
                                   bool canReplace)
{
    m_connectionServer->setText(tr("Server: %1").arg(server.toDisplayString()));
    m_security->setSecurity(server, certificate, protocol);
    const bool encrypted = server.scheme() == QLatin1String("wss");
    m_fingerprint->setCertificate(encrypted ? certificate : QSslCertificate());
    m_fingerprint->setAccessibleLabel(tr("Server fingerprint"));
    m_fingerprint->setVisible(encrypted && !certificate.isNull());
    if (pinnedSince.isValid())
        m_pinnedSince->setText(
            tr("Pinned since %1")
                .arg(QLocale().toString(pinnedSince.toLocalTime().date(), QLocale::LongFormat)));
    else if (encrypted)
        m_pinnedSince->setText(tr("Trusted by this computer's certificate authorities"));
    m_pinnedSince->setVisible(encrypted && !m_pinnedSince->text().isEmpty());
    m_replacePin->setVisible(encrypted && pinnedSince.isValid());
    m_replacePin->setEnabled(canReplace);
    m_replacePin->setToolTip(canReplace ? QString()
                                        : tr("Only needed when the server's identity changed"));
    m_connectionBox->show();
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
