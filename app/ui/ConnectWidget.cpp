#include "app/ui/ConnectWidget.h"

#include "app/client/ServerDiscovery.h"
#include "app/client/ServerProbe.h"
#include "app/client/TrustedServers.h"
#include "app/ui/CertificatePrompt.h"
#include "app/ui/ClearButton.h"
#include "app/ui/ConnectionSecurityLabel.h"
#include "app/ui/Theme.h"
#include "shared/model/CertificateFingerprint.h"
#include "shared/model/Limits.h"
#include "shared/model/Validation.h"

#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QSysInfo>
#include <QTabBar>
#include <QVBoxLayout>

namespace tern::app::ui {

namespace {

constexpr int kUrlRole = Qt::UserRole + 1;
constexpr int kNameRole = Qt::UserRole + 2;        // the announced name
constexpr int kFingerprintRole = Qt::UserRole + 3; // the beacon's certificate digest

QLabel *makeTitle(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    label->setFont(font);
    return label;
}

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, Theme::errorColor(palette));
    label->setPalette(palette);
    label->hide();
    return label;
}

QLabel *makeSecondary(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, Theme::secondaryText(palette));
    label->setPalette(palette);
    return label;
}

//! Keeps a form readable on a wide window: a centred column of about 44–64 characters.
QWidget *centred(QWidget *content, QWidget *parent)
{
    auto *outer = new QWidget(parent);
    auto *layout = new QHBoxLayout(outer);
    // The column takes the room it can up to its maximum, then the margins grow.
    layout->addStretch(1);
    layout->addWidget(content, 4);
    layout->addStretch(1);
    const int chars = content->fontMetrics().averageCharWidth();
    content->setMaximumWidth(chars * 64);
    content->setMinimumWidth(chars * 44);
    return outer;
}

} // namespace

ConnectWidget::ConnectWidget(client::ServerDiscovery *discovery, QWidget *parent)
    : QWidget(parent), m_discovery(discovery)
{
    setObjectName(QStringLiteral("connectWidget"));
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildServerPage());
    m_pages->addWidget(buildSignInPage());
    m_welcomePage = buildWelcomePage();
    m_pages->addWidget(m_welcomePage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    if (m_discovery)
        connect(m_discovery, &client::ServerDiscovery::serversChanged, this,
                &ConnectWidget::refreshServers);
    retranslate();
    refreshServers();
    setCreateAccountMode(false);
}

// ---- normalising addresses -----------------------------------------------------------------

QUrl ConnectWidget::normaliseServerAddress(const QString &input)
{
    QString text = input.trimmed();
    if (text.isEmpty())
        return {};
    for (const QChar c : text) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return {};
    }
    if (!text.contains(QStringLiteral("://"))) {
        // A bare IPv6 address ("fe80::1") has colons but no port: bracket it.
        if (text.count(QLatin1Char(':')) > 1 && !text.startsWith(QLatin1Char('[')) &&
            !text.contains(QLatin1Char('/')))
            text = QLatin1Char('[') + text + QLatin1Char(']');
        text.prepend(QStringLiteral("ws://"));
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery() ||
        url.hasFragment())
        return {};

    QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http"))
        scheme = QStringLiteral("ws");
    else if (scheme == QLatin1String("https"))
        scheme = QStringLiteral("wss");
    if (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))
        return {};
    if (url.port() == 0)
        return {};

    QUrl result;
    result.setScheme(scheme);
    result.setHost(url.host());
    result.setPort(url.port(kDefaultPort));
    const QString path = url.path();
    result.setPath(path.isEmpty() || path == QLatin1String("/") ? QStringLiteral("/ws") : path);
    return result.isValid() ? result : QUrl();
}

// ---- building ------------------------------------------------------------------------------

QWidget *ConnectWidget::buildServerPage()
{
    auto *content = new QWidget;
    m_serverTitle = makeTitle(content);
    m_foundLabel = makeSecondary(content);

    m_serverList = new QListWidget(content);
    m_serverList->setObjectName(QStringLiteral("serverList"));
    m_serverList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_serverList->setUniformItemSizes(true);
    m_emptyLabel = makeSecondary(content);
    m_emptyLabel->setObjectName(QStringLiteral("emptyServersLabel"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_listOrEmpty = new QStackedWidget(content);
    m_listOrEmpty->addWidget(m_serverList);
    m_listOrEmpty->addWidget(m_emptyLabel);
    const int lines = fontMetrics().height();
    m_listOrEmpty->setMinimumHeight(lines * 7);

    m_addressLabel = new QLabel(content);
    m_address = new QLineEdit(content);
    m_address->setObjectName(QStringLiteral("addressEdit"));
    enableNamedClearButton(m_address, QStringLiteral("addressClearButton"), tr("Clear address"));
    m_addressLabel->setBuddy(m_address);
    m_connect = new QPushButton(content);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setEnabled(false);

    m_orLabel = makeSecondary(content);
    m_orLabel->setAlignment(Qt::AlignCenter);
    m_host = new QPushButton(content);
    m_host->setObjectName(QStringLiteral("hostButton"));
    // The prominent choice on a network with no server yet: accent-coloured and taller.
    QPalette hostPalette = m_host->palette();
    hostPalette.setColor(QPalette::Button, Theme::accent(hostPalette));
    hostPalette.setColor(QPalette::ButtonText, Theme::onAccent(hostPalette));
    m_host->setPalette(hostPalette);
    m_host->setMinimumHeight(lines * 2 + lines / 2);
    QFont hostFont = m_host->font();
    hostFont.setBold(true);
    m_host->setFont(hostFont);

    m_serverError = makeErrorLabel(content);
    m_serverError->setObjectName(QStringLiteral("serverErrorLabel"));
    m_checkingLabel = makeSecondary(content);
    m_checkingLabel->setObjectName(QStringLiteral("checkingLabel"));
    m_checkingLabel->hide();

    auto *addressRow = new QHBoxLayout;
    addressRow->addWidget(m_address, 1);
    addressRow->addWidget(m_connect);

    auto *layout = new QVBoxLayout(content);
    layout->addStretch(1);
    layout->addWidget(m_serverTitle);
    layout->addWidget(m_foundLabel);
    layout->addWidget(m_listOrEmpty, 1);
    layout->addSpacing(lines / 2);
    layout->addWidget(m_addressLabel);
    layout->addLayout(addressRow);
    layout->addWidget(m_serverError);
    layout->addWidget(m_checkingLabel);
    layout->addSpacing(lines / 2);
    layout->addWidget(m_orLabel);
    layout->addWidget(m_host);
    layout->addStretch(1);

    connect(m_serverList, &QListWidget::itemActivated, this, &ConnectWidget::pickListed);
    connect(m_address, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_connect->setEnabled(!m_busy && !text.trimmed().isEmpty());
        m_serverError->hide();
        setChecking({}); // an answer for the old address no longer matters
    });
    connect(m_address, &QLineEdit::returnPressed, this, &ConnectWidget::connectToTyped);
    connect(m_connect, &QPushButton::clicked, this, &ConnectWidget::connectToTyped);
    connect(m_host, &QPushButton::clicked, this, [this] {
        clearErrors();
        emit hostServerRequested();
    });

    setTabOrder(m_serverList, m_address);
    setTabOrder(m_address, m_connect);
    setTabOrder(m_connect, m_host);
    return centred(content, this);
}

QWidget *ConnectWidget::buildSignInPage()
{
    auto *content = new QWidget;
    m_signInTitle = makeTitle(content);
    m_serverLine = makeSecondary(content);
    m_serverLine->setObjectName(QStringLiteral("serverLine"));
    m_security = new ConnectionSecurityLabel(QStringLiteral("serverSecurityLabel"), content);
    m_hint = new QLabel(content);
    m_hint->setObjectName(QStringLiteral("hintLabel"));
    m_hint->setTextFormat(Qt::PlainText);
    m_hint->setWordWrap(true);
    m_hint->hide();

    m_mode = new QTabBar(content);
    m_mode->setObjectName(QStringLiteral("modeTabs"));
    m_mode->addTab(QString());
    m_mode->addTab(QString());
    m_mode->setExpanding(true);
    m_mode->setDrawBase(false);

    const auto field = [content](const char *name, QLabel **label) {
        auto *edit = new QLineEdit(content);
        edit->setObjectName(QLatin1String(name));
        *label = new QLabel(content);
        (*label)->setBuddy(edit);
        return edit;
    };
    m_user = field("userEdit", &m_userLabel);
    m_user->setMaxLength(limits::kMaxUserNameChars);
    m_user->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhLowercaseOnly |
                                Qt::ImhNoPredictiveText);
    m_displayName = field("displayNameEdit", &m_displayNameLabel);
    m_displayName->setMaxLength(limits::kMaxDisplayNameChars);
    m_password = field("passwordEdit", &m_passwordLabel);
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setMaxLength(limits::kMaxPasswordChars);
    m_confirm = field("confirmEdit", &m_confirmLabel);
    m_confirm->setEchoMode(QLineEdit::Password);
    m_confirm->setMaxLength(limits::kMaxPasswordChars);
    m_device = field("deviceEdit", &m_deviceLabel);
    m_device->setMaxLength(limits::kMaxDeviceNameChars);
    m_device->setText(QSysInfo::machineHostName().left(limits::kMaxDeviceNameChars));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(m_userLabel, m_user);
    form->addRow(m_displayNameLabel, m_displayName);
    form->addRow(m_passwordLabel, m_password);
    form->addRow(m_confirmLabel, m_confirm);
    form->addRow(m_deviceLabel, m_device);

    m_signInError = makeErrorLabel(content);
    m_signInError->setObjectName(QStringLiteral("signInErrorLabel"));
    m_busyLabel = makeSecondary(content);
    m_busyLabel->setObjectName(QStringLiteral("busyLabel"));
    m_busyLabel->hide();

    m_back = new QPushButton(content);
    m_back->setObjectName(QStringLiteral("backButton"));
    m_submit = new QPushButton(content);
    m_submit->setObjectName(QStringLiteral("submitButton"));
    m_submit->setDefault(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_busyLabel);
    buttons->addWidget(m_submit);

    auto *layout = new QVBoxLayout(content);
    layout->addStretch(1);
    layout->addWidget(m_signInTitle);
    layout->addWidget(m_serverLine);
    layout->addWidget(m_security);
    layout->addWidget(m_hint);
    layout->addSpacing(fontMetrics().height() / 2);
    layout->addWidget(m_mode);
    layout->addLayout(form);
    layout->addWidget(m_signInError);
    layout->addLayout(buttons);
    layout->addStretch(1);

    connect(m_mode, &QTabBar::currentChanged, this,
            [this](int index) { setCreateAccountMode(index == 1); });
    for (QLineEdit *edit : {m_user, m_displayName, m_password, m_confirm, m_device}) {
        // A QWidget has no default button: Enter in any field submits, as in a dialog.
        connect(edit, &QLineEdit::returnPressed, this, &ConnectWidget::submit);
        connect(edit, &QLineEdit::textEdited, m_signInError, &QLabel::hide);
    }
    connect(m_submit, &QPushButton::clicked, this, &ConnectWidget::submit);
    connect(m_back, &QPushButton::clicked, this, &ConnectWidget::showChooseServer);

    setTabOrder(m_mode, m_user);
    setTabOrder(m_user, m_displayName);
    setTabOrder(m_displayName, m_password);
    setTabOrder(m_password, m_confirm);
    setTabOrder(m_confirm, m_device);
    setTabOrder(m_device, m_submit);
    setTabOrder(m_submit, m_back);
    return centred(content, this);
}

QWidget *ConnectWidget::buildWelcomePage()
{
    auto *content = new QWidget;
    const int lines = fontMetrics().height();
    auto *logo = new QLabel(content);
    logo->setObjectName(QStringLiteral("welcomeLogo"));
    logo->setAlignment(Qt::AlignCenter);
    const int side = lines * 6;
    logo->setPixmap(QIcon(QStringLiteral(":/tern/icons/tern.svg"))
                        .pixmap(QSize(side, side), devicePixelRatioF()));
    m_welcomeTitle = makeTitle(content);
    m_welcomeTitle->setObjectName(QStringLiteral("welcomeTitle"));
    m_welcomeTitle->setAlignment(Qt::AlignCenter);
    m_welcomeText = makeSecondary(content);
    m_welcomeText->setObjectName(QStringLiteral("welcomeText"));
    m_welcomeText->setAlignment(Qt::AlignCenter);
    m_welcomeContinue = new QPushButton(content);
    m_welcomeContinue->setObjectName(QStringLiteral("welcomeContinueButton"));
    m_welcomeContinue->setDefault(true);
    QPalette accent = m_welcomeContinue->palette();
    accent.setColor(QPalette::Button, Theme::accent(accent));
    accent.setColor(QPalette::ButtonText, Theme::onAccent(accent));
    m_welcomeContinue->setPalette(accent);
    m_welcomeContinue->setMinimumHeight(lines * 2 + lines / 2);
    m_welcomeContinue->setMinimumWidth(fontMetrics().averageCharWidth() * 24);

    auto *layout = new QVBoxLayout(content);
    layout->addStretch(1);
    layout->addWidget(logo);
    layout->addSpacing(lines);
    layout->addWidget(m_welcomeTitle);
    layout->addWidget(m_welcomeText);
    layout->addSpacing(lines);
    layout->addWidget(m_welcomeContinue, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    connect(m_welcomeContinue, &QPushButton::clicked, this, &ConnectWidget::showChooseServer);
    return centred(content, this);
}

void ConnectWidget::retranslate()
{
    m_welcomeTitle->setText(tr("Welcome to Tern"));
    m_welcomeText->setText(tr("Chat with the people around you, on a server you choose or run "
                              "on this computer."));
    m_welcomeContinue->setText(tr("&Get started"));
    m_welcomeContinue->setAccessibleName(tr("Get started: choose a server"));

    m_serverTitle->setText(tr("Choose a server"));
    m_foundLabel->setText(tr("Servers on this network"));
    m_serverList->setAccessibleName(tr("Servers found on this network"));
    m_serverList->setAccessibleDescription(
        tr("Press Enter or double-click to use the selected server"));
    m_emptyLabel->setText(
        tr("No server found on this network yet — host one, or enter an address."));
    m_addressLabel->setText(tr("Server &address"));
    m_address->setPlaceholderText(tr("host, host:port or ws://host:port/ws"));
    m_address->setAccessibleName(tr("Server address"));
    m_connect->setText(tr("&Connect"));
    m_connect->setAccessibleName(tr("Connect to this address"));
    //: Between "Connect" and "Host a server on this computer".
    m_orLabel->setText(tr("or"));
    m_host->setText(tr("&Host a server on this computer"));
    m_host->setAccessibleName(tr("Host a server on this computer"));
    m_host->setAccessibleDescription(
        tr("Runs a Tern server on this computer that others on the network can join"));

    m_mode->setTabText(0, tr("Sign in"));
    m_mode->setTabText(1, tr("Create an account"));
    m_mode->setAccessibleName(tr("Sign in or create an account"));
    m_userLabel->setText(tr("&User name"));
    m_user->setAccessibleName(tr("User name"));
    m_displayNameLabel->setText(tr("&Display name"));
    m_displayName->setAccessibleName(tr("Display name"));
    m_displayName->setPlaceholderText(tr("Shown to others, e.g. Alice Smith"));
    m_passwordLabel->setText(tr("&Password"));
    m_password->setAccessibleName(tr("Password"));
    m_confirmLabel->setText(tr("C&onfirm password"));
    m_confirm->setAccessibleName(tr("Confirm password"));
    m_deviceLabel->setText(tr("D&evice name"));
    m_device->setAccessibleName(tr("Device name"));
    m_device->setToolTip(tr("Lets you recognise this computer in your list of devices"));
    m_busyLabel->setText(tr("Connecting…"));
    m_back->setText(tr("&Back"));
    m_back->setAccessibleName(tr("Back to choosing a server"));
    setCreateAccountMode(m_createAccount); // the mode-dependent texts
    if (!m_server.isEmpty())
        m_serverLine->setText(tr("Server: %1").arg(m_server.toDisplayString()));
    refreshServers();
}

void ConnectWidget::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

// ---- state ---------------------------------------------------------------------------------

ConnectWidget::Page ConnectWidget::page() const
{
    if (m_pages->currentWidget() == m_welcomePage)
        return Page::Welcome;
    return m_pages->currentIndex() == 0 ? Page::ChooseServer : Page::SignIn;
}

QString ConnectWidget::errorText() const
{
    const QLabel *label = page() == Page::SignIn ? m_signInError : m_serverError;
    return label->isHidden() ? QString() : label->text();
}

void ConnectWidget::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *w : std::initializer_list<QWidget *>{m_serverList, m_address, m_host, m_mode,
                                                       m_user, m_displayName, m_password, m_confirm,
                                                       m_device, m_submit, m_back})
        w->setEnabled(!busy);
    m_connect->setEnabled(!busy && !m_address->text().trimmed().isEmpty());
    m_busyLabel->setVisible(busy);
    if (busy)
        clearErrors();
    else if (page() == Page::SignIn && m_user->text().trimmed().isEmpty())
        m_user->setFocus(); // a new account on a server just hosted: the form starts at the top
    else if (page() == Page::SignIn && !m_user->hasFocus() && !m_password->hasFocus())
        m_password->setFocus(); // after a failed attempt the password is what one retypes
}

void ConnectWidget::showError(const QString &message)
{
    if (page() == Page::Welcome && !message.isEmpty())
        m_pages->setCurrentIndex(0); // a problem is said where it can be dealt with
    QLabel *label = page() == Page::SignIn ? m_signInError : m_serverError;
    label->setText(message);
    label->setVisible(!message.isEmpty());
    label->setAccessibleName(message);
}

void ConnectWidget::showSignIn(const QUrl &server, const QString &hint)
{
    m_server = server;
    m_serverLine->setText(tr("Server: %1").arg(server.toDisplayString()));
    updateSecurity();
    m_hint->setText(hint);
    m_hint->setVisible(!hint.isEmpty());
    clearErrors();
    m_pages->setCurrentIndex(1);
    if (m_user->text().isEmpty())
        m_user->setFocus();
    else
        m_password->setFocus();
}

void ConnectWidget::showWelcome()
{
    clearErrors();
    m_pages->setCurrentWidget(m_welcomePage);
    m_welcomeContinue->setFocus();
}

void ConnectWidget::showChooseServer()
{
    clearErrors();
    m_pages->setCurrentIndex(0);
    if (m_serverList->count() > 0)
        m_serverList->setFocus();
    else
        m_address->setFocus();
}

void ConnectWidget::setServerUrl(const QUrl &url)
{
    m_server = url;
    m_address->setText(url.toDisplayString());
    m_serverLine->setText(tr("Server: %1").arg(url.toDisplayString()));
    updateSecurity();
}

void ConnectWidget::setServerCertificate(const QUrl &server, const QSslCertificate &certificate)
{
    m_certificateServer = server;
    m_certificate = certificate;
    updateSecurity();
}

void ConnectWidget::updateSecurity()
{
    // A certificate seen for another address says nothing about this one.
    const bool known = m_certificateServer.host() == m_server.host() &&
                       m_certificateServer.port() == m_server.port();
    QSslCertificate certificate = known ? m_certificate : QSslCertificate();
    if (certificate.isNull() && m_trusted) // e.g. back here after a session ended
        if (const auto pin = m_trusted->pin(m_server))
            certificate = pin->certificate;
    m_security->setSecurity(m_server, certificate);
}

void ConnectWidget::setCreateAccountMode(bool on)
{
    m_createAccount = on;
    if (m_mode->currentIndex() != (on ? 1 : 0))
        m_mode->setCurrentIndex(on ? 1 : 0); // re-enters through currentChanged
    m_signInTitle->setText(on ? tr("Create an account") : tr("Sign in"));
    m_submit->setText(on ? tr("&Create account") : tr("&Sign in"));
    m_submit->setAccessibleName(on ? tr("Create account") : tr("Sign in"));
    m_displayNameLabel->setVisible(on);
    m_displayName->setVisible(on);
    m_confirmLabel->setVisible(on);
    m_confirm->setVisible(on);
    m_signInError->hide();
}

void ConnectWidget::clearErrors()
{
    m_serverError->hide();
    m_signInError->hide();
}

// ---- choosing a server ---------------------------------------------------------------------

void ConnectWidget::refreshServers()
{
    const QUrl current =
        m_serverList->currentItem() ? m_serverList->currentItem()->data(kUrlRole).toUrl() : QUrl();
    m_serverList->clear();
    if (m_discovery) {
        for (const client::ServerDiscovery::Server &server : m_discovery->servers()) {
            const QString address =
                QStringLiteral("%1:%2").arg(server.address.toString()).arg(server.port);
            // The name comes from an unauthenticated datagram: shown as plain item text only.
            const QString name = server.name.isEmpty() ? address : server.name;
            //: After a found server's address: its connection is (not) encrypted.
            const QString security = server.tls ? tr("encrypted") : tr("not encrypted");
            auto *item = new QListWidgetItem(name + QLatin1Char('\n') + address +
                                             QStringLiteral(" · ") + security);
            item->setData(kUrlRole, server.url);
            item->setData(kNameRole, server.name);
            item->setData(kFingerprintRole, server.fingerprint);
            QString tip = server.url.toDisplayString();
            if (!server.fingerprint.isEmpty())
                //: In a found server's tooltip; %1: its fingerprint as announced.
                tip +=
                    QLatin1Char('\n') +
                    tr("Announced fingerprint: %1").arg(fingerprint::grouped(server.fingerprint));
            item->setToolTip(tip);
            //: Screen-reader text of a found server: name, address, "encrypted"/"not encrypted".
            item->setData(Qt::AccessibleTextRole, tr("%1 at %2, %3").arg(name, address, security));
            m_serverList->addItem(item);
            if (server.url == current)
                m_serverList->setCurrentItem(item);
        }
    }
    const bool empty = m_serverList->count() == 0;
    m_listOrEmpty->setCurrentWidget(empty ? static_cast<QWidget *>(m_emptyLabel) : m_serverList);
    if (!empty && !m_serverList->currentItem())
        m_serverList->setCurrentRow(0);
    m_foundLabel->setVisible(!empty);
}

void ConnectWidget::pickListed()
{
    if (m_busy || !m_serverList->currentItem())
        return;
    const QUrl url = m_serverList->currentItem()->data(kUrlRole).toUrl();
    if (!url.isValid())
        return;
    if (m_probe) {
        // A datagram named it: the server itself is asked (its certificate too), as if typed.
        setChecking(url);
        m_probe->check(url);
        return;
    }
    emit serverChosen(url);
    showSignIn(url);
}

void ConnectWidget::connectToTyped()
{
    if (m_busy)
        return;
    if (m_address->text().trimmed().isEmpty()) {
        showError(tr("Enter the address of a server, or host one on this computer."));
        m_address->setFocus();
        return;
    }
    const QUrl url = normaliseServerAddress(m_address->text());
    if (!url.isValid()) {
        showError(tr("That is not a server address. Use a host name or IP address, optionally "
                     "with a port, e.g. chat.example.org or 192.168.1.20:7070."));
        m_address->setFocus();
        m_address->selectAll();
        return;
    }
    if (m_probe) {
        // Ask the server before asking for a password: a dead address is said here, at once.
        setChecking(url);
        m_probe->check(url);
        return;
    }
    emit serverChosen(url);
    showSignIn(url);
}

void ConnectWidget::setServerProbe(client::ServerProbe *probe)
{
    if (m_probe)
        disconnect(m_probe, nullptr, this, nullptr);
    m_probe = probe;
    if (m_probe)
        connect(m_probe, &client::ServerProbe::finished, this,
                [this](const QUrl &server, client::ServerProbe::Outcome outcome,
                       const QString &detail) { onProbed(server, int(outcome), detail); });
}

void ConnectWidget::setChecking(const QUrl &server)
{
    m_checking = server;
    m_checkingLabel->setText(tr("Checking %1…").arg(server.authority()));
    m_checkingLabel->setVisible(!server.isEmpty());
    if (!server.isEmpty())
        m_serverError->hide();
}

void ConnectWidget::onProbed(const QUrl &server, int outcome, const QString &detail)
{
    using Outcome = client::ServerProbe::Outcome;
    if (server != m_checking || page() != Page::ChooseServer)
        return;
    setChecking({});
    const QString where = server.authority();
    switch (Outcome(outcome)) {
    case Outcome::Ok:
        setServerCertificate(server, m_probe ? m_probe->certificate() : QSslCertificate());
        emit serverChosen(server);
        showSignIn(server);
        return;
    case Outcome::Changed:
    case Outcome::Untrusted:
        if (m_trusted && m_probe) {
            askAboutCertificate(server);
            return;
        }
        showError(tr("The server at %1 has a certificate this computer does not trust (%2).")
                      .arg(where, detail));
        break;
    case Outcome::NoAnswer:
        showError(tr("Nothing answers at %1 (%2). Check the address, and that the server is "
                     "running and reachable from this computer.")
                      .arg(where, detail));
        break;
    case Outcome::NotTern:
        showError(tr("Something answers at %1, but it is not a Tern server (%2). Check the "
                     "address and the port.")
                      .arg(where, detail));
        break;
    }
    m_address->setFocus();
}

void ConnectWidget::askAboutCertificate(const QUrl &server)
{
    const client::CertificateProblem problem = m_probe->problem();
    CertificatePrompt::Announcement announced;
    for (int row = 0; row < m_serverList->count(); ++row) {
        const QListWidgetItem *item = m_serverList->item(row);
        if (item->data(kUrlRole).toUrl() == server)
            announced = {item->data(kNameRole).toString(),
                         item->data(kFingerprintRole).toByteArray()};
    }
    const bool changed = problem.kind == client::CertificateProblem::Kind::Changed;
    QPointer<ConnectWidget> self(this);
    CertificatePrompt::ask(
        problem, m_trusted, window(),
        [self, server, changed](bool pinned) {
            if (!self || self->page() != Page::ChooseServer)
                return;
            if (pinned && self->m_probe) { // once more, now with the pin: then the sign-in page
                self->setChecking(server);
                self->m_probe->check(server);
                return;
            }
            if (changed)
                self->showError(tr("Not connected: the server at %1 presents another certificate "
                                   "than the one you trusted. Ask your server's admin.")
                                    .arg(server.authority()));
            self->m_address->setFocus();
        },
        announced);
}

// ---- signing in ----------------------------------------------------------------------------

QString ConnectWidget::validateForm()
{
    const QString user = m_user->text().trimmed();
    if (user.isEmpty()) {
        m_user->setFocus();
        return tr("Enter your user name.");
    }
    if (!validation::isValidUserName(user)) {
        m_user->setFocus();
        return tr("User names have 3–32 characters: lowercase letters, digits, “.”, “_” and "
                  "“-”.");
    }
    if (m_createAccount &&
        !validation::isValidDisplayText(m_displayName->text(), limits::kMaxDisplayNameChars)) {
        m_displayName->setFocus();
        return tr("Enter a display name (at most %n character(s)).", "",
                  limits::kMaxDisplayNameChars);
    }
    if (m_password->text().isEmpty()) {
        m_password->setFocus();
        return tr("Enter your password.");
    }
    if (!validation::isValidPassword(m_password->text())) {
        m_password->setFocus();
        return tr("Passwords have at least 8 characters.");
    }
    if (m_createAccount && m_confirm->text() != m_password->text()) {
        m_confirm->setFocus();
        m_confirm->selectAll();
        return tr("The two passwords do not match.");
    }
    if (!validation::isValidDisplayText(m_device->text(), limits::kMaxDeviceNameChars)) {
        m_device->setFocus();
        return tr("Enter a name for this device (at most %n character(s)).", "",
                  limits::kMaxDeviceNameChars);
    }
    return {};
}

void ConnectWidget::submit()
{
    if (m_busy || page() != Page::SignIn)
        return;
    if (!m_server.isValid()) {
        showChooseServer();
        showError(tr("Choose a server first."));
        return;
    }
    const QString problem = validateForm();
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    clearErrors();
    const QString user = m_user->text().trimmed();
    const QString device = m_device->text().trimmed();
    if (m_createAccount)
        emit registerRequested(m_server, user, m_password->text(), m_displayName->text().trimmed(),
                               device);
    else
        emit signInRequested(m_server, user, m_password->text(), device);
}

} // namespace tern::app::ui
