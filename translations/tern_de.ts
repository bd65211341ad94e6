<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>BubbleExtras</name>
    <message>
        <location filename="../app/ui/BubbleExtras.cpp" line="+51"/>
        <source>Forwarded</source>
        <translation>Weitergeleitet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This message was deleted</source>
        <translation>Diese Nachricht wurde gelöscht</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>edited</source>
        <translation>bearbeitet</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Reply</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Original message was deleted</source>
        <translation>Die ursprüngliche Nachricht wurde gelöscht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Original message not loaded</source>
        <translation>Ursprüngliche Nachricht nicht geladen</translation>
    </message>
    <message numerus="yes">
        <location line="+110"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n weitere Person</numerusform>
            <numerusform>%n weitere Personen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n people</source>
        <translation>
            <numerusform>%n Person</numerusform>
            <numerusform>%n Personen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageText</name>
    <message>
        <location filename="../app/models/MessageText.cpp" line="+134"/>
        <location line="+17"/>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Photo: %1</source>
        <translation>Foto: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+18"/>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+25"/>
        <source>%1: %2</source>
        <extracomment>A file in the chat list: the file&apos;s name, then the caption sent with it.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>Photo %1</source>
        <translation>Foto %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File %1</source>
        <translation>Datei %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1, %2</source>
        <extracomment>Screen reader text of a file: &quot;File budget.xlsx, 2.4 MB&quot;.</extracomment>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This message needs a newer version of Tern.</source>
        <translation>Diese Nachricht braucht eine neuere Version von Tern.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1 created the group</source>
        <translation>%1 hat die Gruppe erstellt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>You created the group</source>
        <translation>Du hast die Gruppe erstellt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You added %1</source>
        <translation>Du hast %1 hinzugefügt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 added you</source>
        <translation>%1 hat dich hinzugefügt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 added you and %2</source>
        <translation>%1 hat dich und %2 hinzugefügt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 added %2</source>
        <translation>%1 hat %2 hinzugefügt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You removed %1</source>
        <translation>Du hast %1 entfernt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 removed you</source>
        <translation>%1 hat dich entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 removed you and %2</source>
        <translation>%1 hat dich und %2 entfernt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 removed %2</source>
        <translation>%1 hat %2 entfernt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You left</source>
        <translation>Du hast die Gruppe verlassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 left</source>
        <translation>%1 hat die Gruppe verlassen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You renamed the group to &quot;%1&quot;</source>
        <translation>Du hast die Gruppe in „%1“ umbenannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 renamed the group to &quot;%2&quot;</source>
        <translation>%1 hat die Gruppe in „%2“ umbenannt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You changed the role of %1</source>
        <translation>Du hast die Rolle von %1 geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 changed your role</source>
        <translation>%1 hat deine Rolle geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 changed the role of %2</source>
        <translation>%1 hat die Rolle von %2 geändert</translation>
    </message>
    <message>
        <location line="-43"/>
        <location line="+47"/>
        <source>Group updated</source>
        <translation>Gruppe aktualisiert</translation>
    </message>
    <message>
        <location line="-136"/>
        <source>unknown user</source>
        <translation>unbekannte Person</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>This message was deleted</source>
        <translation>Diese Nachricht wurde gelöscht</translation>
    </message>
    <message numerus="yes">
        <location line="+119"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Byte</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 TB</source>
        <translation>%1 TB</translation>
    </message>
</context>
<context>
    <name>RequestErrorText</name>
    <message>
        <location filename="../app/ui/RequestErrorText.cpp" line="+12"/>
        <source>The server did not answer in time. Check the connection and try again.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet. Prüfe die Verbindung und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s certificate was not accepted, so nothing was sent.</source>
        <translation>Das Zertifikat des Servers wurde nicht akzeptiert, daher wurde nichts gesendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s answer could not be understood. Try again later.</source>
        <translation>Die Antwort des Servers war nicht verständlich. Versuche es später erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server could not be reached. Check the connection and try again.</source>
        <translation>Der Server ist nicht erreichbar. Prüfe die Verbindung und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The server could not do that just now. Try again later.</source>
        <translation>Der Server konnte das gerade nicht ausführen. Versuche es später erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong user name or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are not allowed to do that.</source>
        <translation>Dazu bist du nicht berechtigt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That no longer exists.</source>
        <translation>Das gibt es nicht mehr.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That name is already taken.</source>
        <translation>Dieser Name ist bereits vergeben.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many attempts. Wait a moment and try again.</source>
        <translation>Zu viele Versuche. Warte einen Moment und versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That is more than the server allows.</source>
        <translation>Das ist mehr, als der Server erlaubt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server did not accept the request.</source>
        <translation>Der Server hat die Anfrage nicht angenommen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Something went wrong.</source>
        <translation>Etwas ist schiefgelaufen.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>It is no longer on the server.</source>
        <translation>Es ist nicht mehr auf dem Server.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>It arrived damaged. Try again.</source>
        <translation>Es ist beschädigt angekommen. Versuche es erneut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You are not allowed to see it.</source>
        <translation>Du darfst es nicht sehen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It could not be downloaded. Check the connection and try again.</source>
        <translation>Es konnte nicht heruntergeladen werden. Prüfe die Verbindung und versuche es erneut.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="+31"/>
        <source>Tern: chat for your office network.</source>
        <translation>Tern: Chat für das Netz deines Büros.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder for settings, caches and a hosted server (default: the app-data folder).</source>
        <translation>Ordner für Einstellungen, Zwischenspeicher und einen bereitgestellten Server (Standard: der App-Datenordner).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>dir</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start in the tray without showing the window.</source>
        <translation>Im Infobereich starten, ohne das Fenster zu zeigen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language (e.g. de, en); overrides the setting.</source>
        <translation>Sprache (z. B. de, en); hat Vorrang vor der Einstellung.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>code</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Port of a server hosted by this app (default 7070).</source>
        <translation>Port eines von dieser App bereitgestellten Servers (Standard 7070).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>port</source>
        <translation>Port</translation>
    </message>
</context>
<context>
    <name>tern::app::models::ConversationListModel</name>
    <message>
        <location filename="../app/models/ConversationListModel.cpp" line="+635"/>
        <source>You: %1</source>
        <translation>Du: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2</source>
        <extracomment>Preview in a group: sender&apos;s name, then the message.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>yesterday</source>
        <translation>gestern</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>online</source>
        <extracomment>Screen reader text of a direct chat whose person is online now.</extracomment>
        <translation>online</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>last seen today at %1</source>
        <translation>zuletzt online heute um %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last seen yesterday at %1</source>
        <translation>zuletzt online gestern um %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last seen %1</source>
        <translation>zuletzt online am %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>1 unread message</source>
        <translation>1 ungelesene Nachricht</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n unread messages</source>
        <translation>
            <numerusform>%n ungelesene Nachricht</numerusform>
            <numerusform>%n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>you were mentioned</source>
        <extracomment>Screen reader text of a chat with unread messages that mention the user.</extracomment>
        <translation>du wurdest erwähnt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>last message: %1</source>
        <extracomment>Screen reader text of a conversation: what the last message was.</extracomment>
        <translation>letzte Nachricht: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last message, %1: %2</source>
        <translation>letzte Nachricht, %1: %2</translation>
    </message>
</context>
<context>
    <name>tern::app::models::MemberListModel</name>
    <message>
        <location filename="../app/models/MemberListModel.cpp" line="+42"/>
        <source>owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>%1, %2, %3</source>
        <extracomment>Member list entry for screen readers: name, role, online state.</extracomment>
        <translation>%1, %2, %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offline</source>
        <translation>offline</translation>
    </message>
</context>
<context>
    <name>tern::app::models::MessageListModel</name>
    <message>
        <location filename="../app/models/MessageListModel.cpp" line="+298"/>
        <source>%1: %2</source>
        <extracomment>Screen reader text of a system message: &quot;14:05: Bob joined&quot;.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1, %2: %3</source>
        <extracomment>Screen reader text of someone else&apos;s message: &quot;Alice, 14:05: Hello&quot;.</extracomment>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>read</source>
        <translation>gelesen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>You, %1, %2: %3</source>
        <extracomment>Screen reader text of one&apos;s own message: &quot;You, 14:05, read: Hello&quot;.</extracomment>
        <translation>Du, %1, %2: %3</translation>
    </message>
    <message>
        <location filename="../app/models/MessageListModelChanges.cpp" line="+119"/>
        <location line="+16"/>
        <source>You</source>
        <translation>Du</translation>
    </message>
</context>
<context>
    <name>tern::app::models::MessageSearchModel</name>
    <message>
        <location filename="../app/models/MessageSearchModel.cpp" line="+68"/>
        <source>More results from the server</source>
        <translation>Mehr Ergebnisse vom Server</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1, %2: %3</source>
        <extracomment>A message search result for screen readers: &quot;Alice, 12/05/26 14:05: the text&quot;</extracomment>
        <translation>%1, %2: %3</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 in %2</source>
        <extracomment>A server search hit: the sender, then the chat it is in.</extracomment>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>On the server</source>
        <translation>Auf dem Server</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>You</source>
        <translation>Du</translation>
    </message>
</context>
<context>
    <name>tern::app::session::ServerHost</name>
    <message>
        <location filename="../app/session/ServerHost.cpp" line="+177"/>
        <source>The Tern server program (ternd) was not found. Reinstall Tern or connect to a server by its address.</source>
        <translation>Das Tern-Serverprogramm (ternd) wurde nicht gefunden. Installiere Tern neu oder verbinde dich über seine Adresse mit einem Server.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No folder was chosen for the server&apos;s data.</source>
        <translation>Es wurde kein Ordner für die Serverdaten ausgewählt.</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>The Tern server could not be started: %1</source>
        <translation>Der Tern-Server konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The Tern server stopped right away (exit code %1).</source>
        <translation>Der Tern-Server wurde sofort wieder beendet (Exit-Code %1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Tern server crashed.</source>
        <translation>Der Tern-Server ist abgestürzt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Tern server stopped unexpectedly (exit code %1).</source>
        <translation>Der Tern-Server wurde unerwartet beendet (Exit-Code %1).</translation>
    </message>
    <message numerus="yes">
        <location line="+12"/>
        <source>The Tern server did not start within %n second(s).</source>
        <translation>
            <numerusform>Der Tern-Server ist nicht innerhalb von %n Sekunde gestartet.</numerusform>
            <numerusform>Der Tern-Server ist nicht innerhalb von %n Sekunden gestartet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::AboutDialog</name>
    <message>
        <location filename="../app/ui/AboutDialog.cpp" line="+21"/>
        <source>About Tern</source>
        <translation>Über Tern</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chat for your office network, on a server of your own.</source>
        <translation>Chat für dein Büronetz, auf deinem eigenen Server.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Icons: Lucide (lucide.dev), ISC licence.</source>
        <translation>Symbole: Lucide (lucide.dev), ISC-Lizenz.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::Announcer</name>
    <message>
        <location filename="../app/ui/Announcer.cpp" line="+116"/>
        <source>%1: %2</source>
        <extracomment>Said by a screen reader for a new message in the open chat: sender, then the text.</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New message from %1 in %2</source>
        <translation>Neue Nachricht von %1 in %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New message from %1</source>
        <translation>Neue Nachricht von %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New message from %1 in %2: %3</source>
        <translation>Neue Nachricht von %1 in %2: %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New message from %1: %2</source>
        <translation>Neue Nachricht von %1: %2</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>%n new message(s) in %1</source>
        <translation>
            <numerusform>%n neue Nachricht in %1</numerusform>
            <numerusform>%n neue Nachrichten in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new message(s) from %1</source>
        <translation>
            <numerusform>%n neue Nachricht von %1</numerusform>
            <numerusform>%n neue Nachrichten von %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new message(s) in %1 chats</source>
        <translation>
            <numerusform>%n neue Nachricht in %1 Chats</numerusform>
            <numerusform>%n neue Nachrichten in %1 Chats</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::AppController</name>
    <message>
        <location filename="../app/ui/AppController.cpp" line="+81"/>
        <source>Your server is running. Create the first account.</source>
        <translation>Dein Server läuft. Lege das erste Konto an.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The server on this computer stopped: %1</source>
        <translation>Der Server auf diesem Computer wurde beendet: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+131"/>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Wrong user name or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>That user name is taken. Pick another one.</source>
        <translation>Dieser Benutzername ist schon vergeben. Wähle einen anderen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This server does not allow new accounts. Ask its administrator for one.</source>
        <translation>Dieser Server lässt keine neuen Konten zu. Frag den Administrator des Servers nach einem Konto.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many attempts. Wait a minute and try again.</source>
        <translation>Zu viele Versuche. Warte eine Minute und versuche es dann erneut.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The server did not accept these details. It said: “%1”</source>
        <translation>Der Server hat diese Angaben nicht angenommen. Er meldet: „%1“</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Could not read your saved sign-in. Your chats are shown from this computer. Unlock the system keychain and restart Tern, or sign out in Settings and sign in again.</source>
        <translation>Deine gespeicherte Anmeldung konnte nicht gelesen werden. Deine Chats werden von diesem Computer angezeigt. Entsperre den Schlüsselbund des Systems und starte Tern neu, oder melde dich in den Einstellungen ab und wieder an.</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>Cannot reach the server at %1. Check the address and that the server is running.</source>
        <translation>Der Server unter %1 ist nicht erreichbar. Prüfe die Adresse und ob der Server läuft.</translation>
    </message>
    <message>
        <location line="+32"/>
        <location line="+48"/>
        <source>Could not open the local message cache.</source>
        <translation>Der lokale Nachrichtenspeicher konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Please sign in.</source>
        <translation>Bitte melde dich an.</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>No system keychain is available: your sign-in is kept in Tern&apos;s data folder on this computer.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar: Deine Anmeldung wird im Datenordner von Tern auf diesem Computer gespeichert.</translation>
    </message>
    <message>
        <location line="+169"/>
        <source>The server is only reachable from this computer.</source>
        <translation>Der Server ist nur von diesem Computer aus erreichbar.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Colleagues on this network connect to: %1</source>
        <extracomment>%1: one address or several, separated by commas, e.g. &quot;192.168.1.20:7070&quot;.</extracomment>
        <translation>Kolleginnen und Kollegen in diesem Netzwerk verbinden sich mit: %1</translation>
    </message>
    <message>
        <location line="-158"/>
        <source>Your session has ended (%1). Please sign in again.</source>
        <translation>Deine Sitzung wurde beendet (%1). Bitte melde dich erneut an.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::BubbleTextSelector</name>
    <message>
        <location filename="../app/ui/BubbleTextSelector.cpp" line="+41"/>
        <source>Message text</source>
        <translation>Nachrichtentext</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select with Shift and the arrow keys; Ctrl+C copies, Esc closes</source>
        <translation>Wähle mit Umschalt und den Pfeiltasten aus; Strg+C kopiert, Esc schließt</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::CertificateChangedDialog</name>
    <message>
        <location filename="../app/ui/CertificateChangedDialog.cpp" line="+134"/>
        <source>Server identity changed</source>
        <translation>Identität des Servers geändert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This server&apos;s identity has changed</source>
        <translation>Die Identität dieses Servers hat sich geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server at %1 presents a different certificate from the one you trusted. Tern did not connect and sent nothing to it.</source>
        <translation>Der Server unter %1 zeigt ein anderes Zertifikat als das, dem du vertraut hast. Tern hat keine Verbindung aufgebaut und nichts an ihn gesendet.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>an unknown date</source>
        <translation>einem unbekannten Datum</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusted fingerprint (pinned on %1):</source>
        <translation>Vertrauter Fingerabdruck (gespeichert am %1):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trusted fingerprint</source>
        <translation>Vertrauter Fingerabdruck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprint it presents now:</source>
        <translation>Fingerabdruck, den er jetzt zeigt:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New fingerprint</source>
        <translation>Neuer Fingerabdruck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This means one of two things:
• the server was reinstalled or its certificate was regenerated, or
• someone is intercepting the connection to read your messages.</source>
        <translation>Das bedeutet eins von beidem:
• der Server wurde neu installiert oder sein Zertifikat neu erzeugt, oder
• jemand fängt die Verbindung ab, um deine Nachrichten zu lesen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ask your server&apos;s admin before you go on. Only if they confirm the change and give you the new fingerprint (“ternd fingerprint”), replace the pinned certificate.</source>
        <translation>Frag die Administration deines Servers, bevor du weitermachst. Ersetze das gespeicherte Zertifikat nur, wenn sie die Änderung bestätigt und dir den neuen Fingerabdruck gibt („ternd fingerprint“).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Replace the pinned certificate…</source>
        <translation>Gespeichertes Zertifikat &amp;ersetzen …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the pinned certificate</source>
        <translation>Gespeichertes Zertifikat ersetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New fingerprint, as your admin gave it to you:</source>
        <translation>&amp;Neuer Fingerabdruck, wie ihn dir die Administration gegeben hat:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;place</source>
        <translation>Er&amp;setzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace the pinned certificate with the new one</source>
        <translation>Das gespeicherte Zertifikat durch das neue ersetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close without connecting</source>
        <translation>Schließen, ohne zu verbinden</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ChatHeader</name>
    <message>
        <location filename="../app/ui/ChatHeader.cpp" line="+33"/>
        <source>Back to the conversation list</source>
        <translation>Zurück zur Chatliste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Avatar of %1</source>
        <extracomment>Screen reader name of the round picture with initials in the chat header.</extracomment>
        <translation>Avatar von %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Muted: click to get notifications again</source>
        <translation>Stummgeschaltet: klicken, um wieder benachrichtigt zu werden</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Search in this chat (Ctrl+F)</source>
        <translation>In diesem Chat suchen (Strg+F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search in this chat</source>
        <translation>In diesem Chat suchen</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Mute notifications for this chat</source>
        <translation>Benachrichtigungen für diesen Chat stummschalten</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>Mute this chat</source>
        <translation>Diesen Chat stummschalten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chat details</source>
        <translation>Chatdetails</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show chat details</source>
        <translation>Chatdetails anzeigen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ChatPane</name>
    <message>
        <location filename="../app/ui/ChatPane.cpp" line="+61"/>
        <source>last seen today at %1</source>
        <translation>zuletzt online heute um %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>last seen yesterday at %1</source>
        <translation>zuletzt online gestern um %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last seen %1</source>
        <translation>zuletzt online am %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>The file could not be saved as %1.</source>
        <translation>Die Datei konnte nicht als %1 gespeichert werden.</translation>
    </message>
    <message>
        <location line="+172"/>
        <source>New chat — say hello</source>
        <translation>Neuer Chat – sag Hallo</translation>
    </message>
    <message>
        <location line="+192"/>
        <source>%1 is typing…</source>
        <translation>%1 schreibt…</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+7"/>
        <source>typing…</source>
        <translation>schreibt…</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>%1 are typing…</source>
        <translation>%1 schreiben…</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved messages</source>
        <translation>Gespeicherte Nachrichten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location filename="../app/ui/ChatPaneMedia.cpp" line="+59"/>
        <source>Send photos or files</source>
        <translation>Fotos oder Dateien senden</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>Open file</source>
        <translation>Datei öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No app on this computer opens “%1”.</source>
        <translation>Keine App auf diesem Computer kann „%1“ öffnen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The file is saved in %1. Open the folder to use it with another app, or save a copy with “Save as…” in the message&apos;s menu.</source>
        <translation>Die Datei ist in %1 gespeichert. Öffne den Ordner, um sie mit einer anderen App zu verwenden, oder speichere eine Kopie mit „Speichern unter…“ im Menü der Nachricht.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open folder</source>
        <translation>Ordner öffnen</translation>
    </message>
    <message>
        <location filename="../app/ui/ChatPane.cpp" line="-386"/>
        <location filename="../app/ui/ChatPaneMedia.cpp" line="+24"/>
        <source>Save file</source>
        <translation>Datei speichern</translation>
    </message>
    <message>
        <location filename="../app/ui/ChatPaneActions.cpp" line="+94"/>
        <source>yourself</source>
        <translation>dich selbst</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Delete for everyone</source>
        <translation>Für alle löschen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete for me</source>
        <translation>Für mich löschen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this message for everyone in the chat? This cannot be undone.</source>
        <translation>Diese Nachricht für alle im Chat löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Delete %n message(s) from your devices? The others still see them.</source>
        <translation>
            <numerusform>%n Nachricht von deinen Geräten löschen? Die anderen sehen sie weiterhin.</numerusform>
            <numerusform>%n Nachrichten von deinen Geräten löschen? Die anderen sehen sie weiterhin.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete this message from your devices? The others still see it.</source>
        <translation>Diese Nachricht von deinen Geräten löschen? Die anderen sehen sie weiterhin.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The message could not be deleted: %1</source>
        <translation>Die Nachricht konnte nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::Composer</name>
    <message>
        <location filename="../app/ui/Composer.cpp" line="+105"/>
        <source>Write a message…</source>
        <translation>Nachricht schreiben…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter saves, Esc cancels the edit</source>
        <translation>Enter speichert, Esc bricht das Bearbeiten ab</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save (Enter)</source>
        <translation>Speichern (Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Eingabetaste sendet, Umschalt+Eingabetaste beginnt eine neue Zeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send (Enter)</source>
        <translation>Senden (Eingabetaste)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attach</source>
        <translation>Anhängen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach a photo or file</source>
        <translation>Foto oder Datei anhängen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach a photo or file (or drop it on the chat, or paste it)</source>
        <translation>Foto oder Datei anhängen (oder in den Chat ziehen oder einfügen)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Emoji</source>
        <translation>Emojis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert emoji</source>
        <translation>Emoji einfügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert emoji (Ctrl+E)</source>
        <translation>Emoji einfügen (Strg+E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message composer</source>
        <translation>Nachrichteneingabe</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Reply to %1</source>
        <translation>Antwort an %1</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Editing message</source>
        <translation>Nachricht bearbeiten</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ComposerBar</name>
    <message>
        <location filename="../app/ui/ComposerBar.cpp" line="+60"/>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Cancel (Esc)</source>
        <translation>Abbrechen (Esc)</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConnectWidget</name>
    <message>
        <location filename="../app/ui/ConnectWidget.cpp" line="+173"/>
        <source>Clear address</source>
        <translation>Adresse leeren</translation>
    </message>
    <message>
        <location line="+206"/>
        <source>Welcome to Tern</source>
        <translation>Willkommen bei Tern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat with the people around you, on a server you choose or run on this computer.</source>
        <translation>Chatte mit den Menschen um dich herum – auf einem Server deiner Wahl oder auf einem, den du auf diesem Computer betreibst.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Get started</source>
        <translation>&amp;Loslegen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Get started: choose a server</source>
        <translation>Loslegen: einen Server wählen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a server</source>
        <translation>Server auswählen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Servers on this network</source>
        <translation>Server in diesem Netzwerk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Servers found on this network</source>
        <translation>In diesem Netzwerk gefundene Server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Press Enter or double-click to use the selected server</source>
        <translation>Drücke die Eingabetaste oder doppelklicke, um den ausgewählten Server zu verwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No server found on this network yet — host one, or enter an address.</source>
        <translation>Noch kein Server in diesem Netzwerk gefunden – stelle selbst einen bereit oder gib eine Adresse ein.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server &amp;address</source>
        <translation>Server&amp;adresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>host, host:port or ws://host:port/ws</source>
        <translation>Host, Host:Port oder ws://host:port/ws</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect to this address</source>
        <translation>Mit dieser Adresse verbinden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>or</source>
        <extracomment>Between &quot;Connect&quot; and &quot;Host a server on this computer&quot;.</extracomment>
        <translation>oder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Host a server on this computer</source>
        <translation>Server auf diesem Computer &amp;bereitstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host a server on this computer</source>
        <translation>Server auf diesem Computer bereitstellen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runs a Tern server on this computer that others on the network can join</source>
        <translation>Startet auf diesem Computer einen Tern-Server, dem andere im Netzwerk beitreten können</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+137"/>
        <location line="+2"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="-138"/>
        <location line="+136"/>
        <source>Create an account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Sign in or create an account</source>
        <translation>Melde dich an oder erstelle ein Konto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;User name</source>
        <translation>&amp;Benutzername</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Display name</source>
        <translation>&amp;Anzeigename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shown to others, e.g. Alice Smith</source>
        <translation>Für andere sichtbar, z. B. Erika Mustermann</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>C&amp;onfirm password</source>
        <translation>Passwort be&amp;stätigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirm password</source>
        <translation>Passwort bestätigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;evice name</source>
        <translation>&amp;Gerätename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lets you recognise this computer in your list of devices</source>
        <translation>Damit erkennst du diesen Computer in deiner Geräteliste wieder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to choosing a server</source>
        <translation>Zurück zur Serverauswahl</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+56"/>
        <location line="+33"/>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>&amp;Create account</source>
        <translation>&amp;Konto erstellen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Sign in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Enter the address of a server, or host one on this computer.</source>
        <translation>Gib die Adresse eines Servers ein oder stelle auf diesem Computer einen bereit.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>That is not a server address. Use a host name or IP address, optionally with a port, e.g. chat.example.org or 192.168.1.20:7070.</source>
        <translation>Das ist keine Serveradresse. Verwende einen Hostnamen oder eine IP-Adresse, optional mit Port, z. B. chat.example.org oder 192.168.1.20:7070.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Checking %1…</source>
        <translation>Prüfe %1…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Nothing answers at %1 (%2). Check the address, and that the server is running and reachable from this computer.</source>
        <translation>Unter %1 antwortet nichts (%2). Prüfe die Adresse und ob der Server läuft und von diesem Computer aus erreichbar ist.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Something answers at %1, but it is not a Tern server (%2). Check the address and the port.</source>
        <translation>Unter %1 antwortet etwas, aber kein Tern-Server (%2). Prüfe Adresse und Port.</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>The server at %1 has a certificate this computer does not trust (%2).</source>
        <translation>Der Server unter %1 hat ein Zertifikat, dem dieser Computer nicht vertraut (%2).</translation>
    </message>
    <message>
        <location line="-110"/>
        <source>encrypted</source>
        <extracomment>After a found server&apos;s address: its connection is (not) encrypted.</extracomment>
        <translation>verschlüsselt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not encrypted</source>
        <translation>nicht verschlüsselt</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Announced fingerprint: %1</source>
        <extracomment>In a found server&apos;s tooltip; %1: its fingerprint as announced.</extracomment>
        <translation>Angekündigter Fingerabdruck: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 at %2, %3</source>
        <extracomment>Screen-reader text of a found server: name, address, &quot;encrypted&quot;/&quot;not encrypted&quot;.</extracomment>
        <translation>%1 unter %2, %3</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Not connected: the server at %1 presents another certificate than the one you trusted. Ask your server&apos;s admin.</source>
        <translation>Nicht verbunden: Der Server unter %1 zeigt ein anderes Zertifikat als das, dem du vertraut hast. Frag die Administration deines Servers.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Enter your user name.</source>
        <translation>Gib deinen Benutzernamen ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>User names have 3–32 characters: lowercase letters, digits, “.”, “_” and “-”.</source>
        <translation>Benutzernamen haben 3–32 Zeichen: Kleinbuchstaben, Ziffern, „.“, „_“ und „-“.</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Enter a display name (at most %n character(s)).</source>
        <translation>
            <numerusform>Gib einen Anzeigenamen ein (höchstens %n Zeichen).</numerusform>
            <numerusform>Gib einen Anzeigenamen ein (höchstens %n Zeichen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter your password.</source>
        <translation>Gib dein Passwort ein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Passwords have at least 8 characters.</source>
        <translation>Passwörter haben mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The two passwords do not match.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Enter a name for this device (at most %n character(s)).</source>
        <translation>
            <numerusform>Gib einen Namen für dieses Gerät ein (höchstens %n Zeichen).</numerusform>
            <numerusform>Gib einen Namen für dieses Gerät ein (höchstens %n Zeichen).</numerusform>
        </translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Choose a server first.</source>
        <translation>Wähle zuerst einen Server aus.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConnectionBanner</name>
    <message>
        <location filename="../app/ui/ConnectionBanner.cpp" line="+15"/>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Retry connecting now</source>
        <translation>Jetzt erneut verbinden</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>This server&apos;s identity has changed: not connected. Ask your server&apos;s admin, then see Settings → Connection.</source>
        <translation>Die Identität dieses Servers hat sich geändert: nicht verbunden. Frag die Administration deines Servers und sieh dann unter Einstellungen → Verbindung nach.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This server&apos;s certificate is not trusted yet: not connected.</source>
        <translation>Dem Zertifikat dieses Servers wird noch nicht vertraut: nicht verbunden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Offline — messages will be sent when you reconnect</source>
        <translation>Offline – Nachrichten werden gesendet, sobald die Verbindung wieder steht</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>(next try in %n s)</source>
        <translation>
            <numerusform>(nächster Versuch in %n s)</numerusform>
            <numerusform>(nächster Versuch in %n s)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connecting…</source>
        <translation>Verbindung wird hergestellt…</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConnectionSecurityLabel</name>
    <message>
        <location filename="../app/ui/ConnectionSecurityLabel.cpp" line="+64"/>
        <source>Not encrypted: others on the network can read what you send</source>
        <translation>Nicht verschlüsselt: andere im Netzwerk können mitlesen, was du sendest</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encrypted</source>
        <translation>Verschlüsselt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Encrypted (%1)</source>
        <translation>Verschlüsselt (%1)</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConversationDelegate</name>
    <message>
        <location filename="../app/ui/ConversationDelegate.cpp" line="+222"/>
        <source>%1 is typing…</source>
        <extracomment>Conversation list: one person typing in a group</extracomment>
        <translation>%1 schreibt…</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n Person schreibt…</numerusform>
            <numerusform>%n Personen schreiben…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>typing…</source>
        <translation>schreibt…</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConversationPane</name>
    <message>
        <location filename="../app/ui/ConversationPane.cpp" line="+33"/>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+58"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Start a chat</source>
        <translation>Chat beginnen</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new chat</source>
        <translation>Neuen Chat beginnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a group</source>
        <translation>Gruppe erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Menu</source>
        <translation>Menü</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Main menu</source>
        <translation>Hauptmenü</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Search chats (Ctrl+K)</source>
        <translation>Chats durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search chats</source>
        <translation>Chats durchsuchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Conversations</source>
        <translation>Chatliste</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Messages found</source>
        <translation>Gefundene Nachrichten</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>No conversations yet.</source>
        <translation>Noch keine Chats.</translation>
    </message>
    <message>
        <location line="+244"/>
        <source>Updating…</source>
        <translation>Aktualisiere…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::EmojiPicker</name>
    <message>
        <location filename="../app/ui/EmojiPicker.cpp" line="+176"/>
        <source>Emoji you use appear here</source>
        <translation>Emoji, die du verwendest, erscheinen hier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No emoji found for “%1”</source>
        <translation>Kein Emoji für „%1“ gefunden</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Recently used</source>
        <translation>Zuletzt verwendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Smileys &amp; emotion</source>
        <translation>Smileys &amp; Gefühle</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>People &amp; body</source>
        <translation>Menschen &amp; Körper</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Animals &amp; nature</source>
        <translation>Tiere &amp; Natur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Food &amp; drink</source>
        <translation>Essen &amp; Trinken</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Activities</source>
        <translation>Aktivitäten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Travel &amp; places</source>
        <translation>Reisen &amp; Orte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Objects</source>
        <translation>Objekte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Symbols</source>
        <translation>Symbole</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Flags</source>
        <translation>Flaggen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Categories</source>
        <translation>Kategorien</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>Emoji</source>
        <translation>Emojis</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Search emoji</source>
        <translation>Emoji suchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a name to search; Down moves to the emoji, Enter inserts the first</source>
        <translation>Gib einen Namen ein (auf Englisch); Pfeil nach unten führt zu den Emojis, Enter fügt das erste ein</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Arrow keys move, Enter inserts, Esc closes</source>
        <translation>Pfeiltasten bewegen, Enter fügt ein, Esc schließt</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::FindBar</name>
    <message>
        <location filename="../app/ui/FindBar.cpp" line="+35"/>
        <location line="+1"/>
        <source>Find in this chat</source>
        <translation>In diesem Chat suchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Older match (Enter, F3)</source>
        <translation>Älterer Treffer (Enter, F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Older match</source>
        <translation>Älterer Treffer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Newer match (Shift+Enter, Shift+F3)</source>
        <translation>Neuerer Treffer (Umschalt+Enter, Umschalt+F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Newer match</source>
        <translation>Neuerer Treffer</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+1"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close the find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message>
        <location line="+207"/>
        <location line="+5"/>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message numerus="yes">
        <location line="-4"/>
        <location line="+7"/>
        <source>%1 of %n</source>
        <extracomment>Find in chat: the current match of all matches, e.g. &quot;3 of 12&quot;</extracomment>
        <translation>
            <numerusform>%1 von %n</numerusform>
            <numerusform>%1 von %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::FingerprintCheck</name>
    <message>
        <location filename="../app/ui/FingerprintCheck.cpp" line="+79"/>
        <source>Not a complete fingerprint yet: paste all of it (either form).</source>
        <translation>Noch kein vollständiger Fingerabdruck: füge ihn ganz ein (in einer der beiden Formen).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✓ Matches: this is the fingerprint the server presents.</source>
        <extracomment>The check mark is decoration; the words carry the meaning.</extracomment>
        <translation>✓ Stimmt überein: Das ist der Fingerabdruck, den der Server zeigt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>✗ Does not match: the server presents a different fingerprint. Do not go on; ask your admin.</source>
        <translation>✗ Stimmt nicht überein: Der Server zeigt einen anderen Fingerabdruck. Mach nicht weiter, frag deine Administration.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::FingerprintView</name>
    <message>
        <location filename="../app/ui/FingerprintView.cpp" line="+60"/>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the fingerprint</source>
        <translation>Den Fingerabdruck kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Details</source>
        <translation>&amp;Einzelheiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the fingerprint in OpenSSL&apos;s form</source>
        <translation>Den Fingerabdruck in der Form von OpenSSL zeigen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 in OpenSSL&apos;s form: %2</source>
        <translation>%1 in der Form von OpenSSL: %2</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ForwardDialog</name>
    <message>
        <location filename="../app/ui/ForwardDialog.cpp" line="+80"/>
        <source>Forward message</source>
        <translation>Nachricht weiterleiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Search chats</source>
        <translation>Chats durchsuchen</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chats to forward to</source>
        <translation>Chats zum Weiterleiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Space checks a chat, Enter forwards</source>
        <translation>Leertaste wählt einen Chat, Enter leitet weiter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No chat matches</source>
        <translation>Kein Chat passt</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>Forward to %n chat(s)</source>
        <translation>
            <numerusform>An %n Chat weiterleiten</numerusform>
            <numerusform>An %n Chats weiterleiten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Forward</source>
        <translation>Weiterleiten</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::GroupInfoPanel</name>
    <message>
        <location filename="../app/ui/GroupInfoPanel.cpp" line="+61"/>
        <source>%1 (you)</source>
        <translation>%1 (du)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <location line="+174"/>
        <source>Group info</source>
        <translation>Gruppeninfo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close (Esc)</source>
        <translation>Schließen (Esc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close group info</source>
        <translation>Gruppeninfo schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mute notifications</source>
        <translation>Benachrichtigungen &amp;stummschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mute notifications for this group</source>
        <translation>Benachrichtigungen für diese Gruppe stummschalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mem&amp;bers</source>
        <translation>&amp;Mitglieder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open the context menu on a member for more actions</source>
        <translation>Öffne das Kontextmenü eines Mitglieds für weitere Aktionen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add members</source>
        <translation>Mitglieder &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add members</source>
        <translation>Mitglieder hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected member from the group</source>
        <translation>Ausgewähltes Mitglied aus der Gruppe entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Leave group</source>
        <translation>Gruppe &amp;verlassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave group</source>
        <translation>Gruppe verlassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave this group? You will no longer receive its messages.</source>
        <translation>Diese Gruppe verlassen? Du erhältst dann keine Nachrichten mehr aus ihr.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave</source>
        <translation>Verlassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Confirm leaving the group</source>
        <translation>Verlassen der Gruppe bestätigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stay in the group</source>
        <translation>In der Gruppe bleiben</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Press Enter to rename the group</source>
        <translation>Drücke die Eingabetaste, um die Gruppe umzubenennen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Remove &amp;admin</source>
        <translation>Admin&amp;rechte entziehen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Make &amp;admin</source>
        <translation>Zum &amp;Admin machen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Make the selected member a plain member</source>
        <translation>Ausgewähltes Mitglied zum normalen Mitglied machen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Make the selected member an admin</source>
        <translation>Ausgewähltes Mitglied zum Admin machen</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>%n member(s)</source>
        <extracomment>Group subtitle: &quot;12 members, 3 online&quot;.</extracomment>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n online</source>
        <translation>
            <numerusform>%n online</numerusform>
            <numerusform>%n online</numerusform>
        </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Remove from group</source>
        <translation>Aus der Gruppe entfernen</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Give the group a name.</source>
        <translation>Gib der Gruppe einen Namen.</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Could not rename the group: %1</source>
        <translation>Die Gruppe konnte nicht umbenannt werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not add the member: %1</source>
        <translation>Das Mitglied konnte nicht hinzugefügt werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not remove the member: %1</source>
        <translation>Das Mitglied konnte nicht entfernt werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not change the role: %1</source>
        <translation>Die Rolle konnte nicht geändert werden: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Could not leave the group: %1</source>
        <translation>Die Gruppe konnte nicht verlassen werden: %1</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ImageViewer</name>
    <message>
        <location filename="../app/ui/ImageViewer.cpp" line="+20"/>
        <source>Picture: %1</source>
        <translation>Bild: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Loading… %1 of %2</source>
        <translation>Wird geladen… %1 von %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This picture cannot be shown.</source>
        <translation>Dieses Bild kann nicht angezeigt werden.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Picture, %1 × %2</source>
        <translation>Bild, %1 × %2</translation>
    </message>
    <message>
        <location filename="../app/ui/ChatPaneMedia.cpp" line="-50"/>
        <source>The picture could not be loaded. %1</source>
        <translation>Das Bild konnte nicht geladen werden. %1</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::JumpToLatestButton</name>
    <message>
        <location filename="../app/ui/JumpToLatestButton.cpp" line="+29"/>
        <location line="+4"/>
        <source>Jump to latest</source>
        <translation>Zur neuesten Nachricht</translation>
    </message>
    <message numerus="yes">
        <location line="-2"/>
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n neue Nachricht</numerusform>
            <numerusform>%n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Scroll to the newest message</source>
        <translation>Zur neuesten Nachricht scrollen</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Jump to latest (%n new)</source>
        <translation>
            <numerusform>Zur neuesten Nachricht (%n neu)</numerusform>
            <numerusform>Zur neuesten Nachricht (%n neu)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MainWindow</name>
    <message>
        <location filename="../app/ui/MainWindow.cpp" line="+41"/>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select a chat to start messaging</source>
        <translation>Wähle einen Chat aus, um loszuschreiben</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Main menu</source>
        <translation>Hauptmenü</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Profile…</source>
        <translation>Profil…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hosted server…</source>
        <translation>Server auf diesem Computer…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About Tern</source>
        <translation>Über Tern</translation>
    </message>
    <message>
        <location line="+255"/>
        <source>Keep Tern running?</source>
        <translation>Tern weiterlaufen lassen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This desktop has no system tray. Keep Tern running in the taskbar so it can tell you about new messages?</source>
        <translation>Diese Arbeitsumgebung hat keinen Infobereich. Soll Tern in der Taskleiste weiterlaufen, damit es dir neue Nachrichten melden kann?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You can quit at any time with Ctrl+Q.</source>
        <translation>Mit Strg+Q kannst du Tern jederzeit beenden.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep running</source>
        <translation>Weiterlaufen lassen</translation>
    </message>
    <message>
        <location line="-260"/>
        <location line="+262"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Do not ask again</source>
        <translation>Nicht mehr fragen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MentionCompleter</name>
    <message>
        <location filename="../app/ui/MentionCompleter.cpp" line="+119"/>
        <source>People to mention</source>
        <translation>Personen zum Erwähnen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MessageDelegate</name>
    <message>
        <location filename="../app/ui/MessageDelegate.cpp" line="+141"/>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <location line="+289"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>New messages</source>
        <translation>Neue Nachrichten</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MessageInfoDialog</name>
    <message>
        <location filename="../app/ui/MessageInfoDialog.cpp" line="+142"/>
        <source>Read by %1 of %2</source>
        <translation>Gelesen: %1 von %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Read %1, delivered %2</source>
        <translation>Gelesen %1, zugestellt %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read %1</source>
        <translation>Gelesen %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delivered %1</source>
        <translation>Zugestellt %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not delivered yet</source>
        <translation>Noch nicht zugestellt</translation>
    </message>
    <message>
        <location line="+25"/>
        <location line="+1"/>
        <source>Message info</source>
        <translation>Nachrichteninfo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Who has read or received it</source>
        <translation>Wer sie gelesen oder erhalten hat</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MessageView</name>
    <message>
        <location filename="../app/ui/MessageView.cpp" line="+42"/>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location line="+516"/>
        <source>Copy text</source>
        <translation>Text kopieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Select text</source>
        <translation>Text auswählen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copy link address</source>
        <translation>Linkadresse kopieren</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cancel download</source>
        <translation>Herunterladen abbrechen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancel sending</source>
        <translation>Senden abbrechen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Reply</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>React</source>
        <translation>Reagieren</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>More…</source>
        <translation>Mehr…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Forward…</source>
        <translation>Weiterleiten…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Delete for everyone…</source>
        <translation>Für alle löschen…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete for me…</source>
        <translation>Für mich löschen…</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::MessageViewProxy</name>
    <message>
        <location filename="../app/ui/MessageViewProxy.cpp" line="+26"/>
        <source>Reply to %1: %2</source>
        <extracomment>Screen reader text of a reply&apos;s quote: &quot;Reply to Bob: See you at noon&quot;.</extracomment>
        <translation>Antwort an %1: %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reactions: %1</source>
        <extracomment>Screen reader text of a message&apos;s reactions: &quot;Reactions: 👍 2, ❤️ 1&quot;.</extracomment>
        <translation>Reaktionen: %1</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::NewChatDialog</name>
    <message>
        <location filename="../app/ui/NewChatDialog.cpp" line="+46"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open chat</source>
        <translation>&amp;Chat öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a chat with the selected user</source>
        <translation>Chat mit der ausgewählten Person öffnen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::NewGroupDialog</name>
    <message>
        <location filename="../app/ui/NewGroupDialog.cpp" line="+87"/>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Group &amp;name</source>
        <translation>Gruppen&amp;name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. Weekend trip</source>
        <translation>z. B. Wochenendausflug</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add people</source>
        <translation>Personen &amp;hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Members</source>
        <translation>&amp;Mitglieder</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Members to add</source>
        <translation>Hinzuzufügende Mitglieder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checked people are added to the group; press Delete to remove one from the list</source>
        <translation>Markierte Personen werden zur Gruppe hinzugefügt; drücke Entf, um jemanden aus der Liste zu entfernen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create group</source>
        <translation>Gruppe &amp;erstellen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create group</source>
        <translation>Gruppe erstellen</translation>
    </message>
    <message numerus="yes">
        <location line="+64"/>
        <source>&amp;Members (%n)</source>
        <translation>
            <numerusform>&amp;Mitglieder (%n)</numerusform>
            <numerusform>&amp;Mitglieder (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Creating the group…</source>
        <translation>Gruppe wird erstellt…</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Give the group a name.</source>
        <translation>Gib der Gruppe einen Namen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add at least one person.</source>
        <translation>Füge mindestens eine Person hinzu.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>That is more people than a group may have.</source>
        <translation>Das sind mehr Personen, als eine Gruppe haben darf.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::NotificationToast</name>
    <message>
        <location filename="../app/ui/NotificationToast.cpp" line="+38"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss the notification</source>
        <translation>Benachrichtigung schließen</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>New message: %1</source>
        <translation>Neue Nachricht: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click to open the chat</source>
        <translation>Klicken, um den Chat zu öffnen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::OwnAvatarButton</name>
    <message>
        <location filename="../app/ui/OwnAvatarButton.cpp" line="+20"/>
        <location line="+29"/>
        <source>Your profile</source>
        <translation>Dein Profil</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Your profile: %1</source>
        <translation>Dein Profil: %1</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ProfileDialog</name>
    <message>
        <location filename="../app/ui/ProfileDialog.cpp" line="+29"/>
        <source>&amp;Edit name</source>
        <translation>Namen &amp;bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Edit your display name</source>
        <translation>Deinen Anzeigenamen bearbeiten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter saves, Esc cancels</source>
        <translation>Eingabetaste speichert, Esc bricht ab</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the display name</source>
        <translation>Anzeigenamen speichern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel editing the display name</source>
        <translation>Bearbeiten des Anzeigenamens abbrechen</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>This name cannot be used. A display name has 1 to 64 characters and no control or invisible characters.</source>
        <translation>Diesen Namen kannst du nicht verwenden. Ein Anzeigename hat 1 bis 64 Zeichen und keine Steuer- oder unsichtbaren Zeichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You changed your name too often. Wait a minute and try again.</source>
        <translation>Du hast deinen Namen zu oft geändert. Warte eine Minute und versuch es dann noch einmal.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>You are offline. Your name can be changed once Tern is connected again.</source>
        <translation>Du bist offline. Deinen Namen kannst du ändern, sobald Tern wieder verbunden ist.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Display name: %1</source>
        <translation>Anzeigename: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>User name: %1</source>
        <translation>Benutzername: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your picture: %1</source>
        <translation>Dein Bild: %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Online</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status: %1</source>
        <translation>Zustand: %1</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::SettingsDialog</name>
    <message>
        <location filename="../app/ui/SettingsDialog.cpp" line="+30"/>
        <source>Keep Tern running in the tray when the window is closed</source>
        <translation>Tern im Infobereich weiterlaufen lassen, wenn das Fenster geschlossen wird</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start Tern when I log in</source>
        <translation>Tern beim Anmelden am Computer starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide message text in notifications</source>
        <translation>Nachrichtentext in Benachrichtigungen ausblenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Replace the pinned certificate…</source>
        <translation>Gespeichertes Zertifikat ersetzen …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server on this computer</source>
        <translation>Server auf diesem Computer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+15"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>No system keychain is available: your session key is kept in Tern&apos;s data folder. Anyone who can read your files can use it.</source>
        <translation>Kein Systemschlüsselbund verfügbar: Dein Sitzungsschlüssel wird im Datenordner von Tern gespeichert. Wer deine Dateien lesen kann, kann ihn verwenden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sign out of this account</source>
        <translation>Von diesem Konto abmelden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Behaviour</source>
        <translation>Verhalten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A new language applies after Tern restarts.</source>
        <translation>Eine neue Sprache wird nach einem Neustart von Tern wirksam.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Replace the pinned certificate</source>
        <translation>Gespeichertes Zertifikat ersetzen</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Signed in as %1 on %2</source>
        <translation>Angemeldet als %1 auf %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Server fingerprint</source>
        <translation>Fingerabdruck des Servers</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pinned since %1</source>
        <translation>Gespeichert seit %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trusted by this computer&apos;s certificate authorities</source>
        <translation>Von den Zertifizierungsstellen dieses Computers als vertrauenswürdig bestätigt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only needed when the server&apos;s identity changed</source>
        <translation>Nur nötig, wenn sich die Identität des Servers geändert hat</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No server is running on this computer.</source>
        <translation>Auf diesem Computer läuft kein Server.</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::TrayNotifier</name>
    <message>
        <location filename="../app/ui/TrayNotifier.cpp" line="+54"/>
        <source>Open Tern</source>
        <translation>Tern öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+153"/>
        <location line="+4"/>
        <source>Tern</source>
        <translation>Tern</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Someone new</source>
        <translation>Jemand Neues</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 mentioned you in %2</source>
        <translation>%1 hat dich in %2 erwähnt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 in %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n neue Nachricht</numerusform>
            <numerusform>%n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Tern (%1)</source>
        <translation>Tern (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Tern — %n unread message(s)</source>
        <translation>
            <numerusform>Tern – %n ungelesene Nachricht</numerusform>
            <numerusform>Tern – %n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::TrustServerDialog</name>
    <message>
        <location filename="../app/ui/TrustServerDialog.cpp" line="+122"/>
        <source>Trust this server?</source>
        <translation>Diesem Server vertrauen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Is this your server?</source>
        <translation>Ist das dein Server?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This server&apos;s certificate is not signed by an authority this computer trusts. That is normal for a Tern server on your own network, but check once that it really is yours: Tern remembers it from then on and refuses any other.</source>
        <translation>Das Zertifikat dieses Servers ist von keiner Stelle signiert, der dieser Computer vertraut. Für einen Tern-Server in deinem eigenen Netzwerk ist das normal, aber prüf einmal, ob es wirklich deiner ist: Tern merkt ihn sich dann und lehnt jeden anderen ab.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name:</source>
        <translation>Servername:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (announced as “%2”)</source>
        <extracomment>%1: the name in the server&apos;s certificate, %2: the name it announced on the network.</extracomment>
        <translation>%1 (angekündigt als „%2“)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(no name)</source>
        <translation>(kein Name)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server name: %1</source>
        <translation>Name des Servers: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address:</source>
        <translation>Adresse:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server address: %1</source>
        <translation>Adresse des Servers: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its certificate&apos;s fingerprint (SHA-256):</source>
        <translation>Fingerabdruck seines Zertifikats (SHA-256):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To check it, ask your server&apos;s admin to run “ternd fingerprint” on the server and compare all of it, not only the first group.</source>
        <translation>Zum Prüfen bitte die Administration deines Servers, auf dem Server „ternd fingerprint“ auszuführen, und vergleich alles, nicht nur die erste Gruppe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It matches the fingerprint the server announced on this network. Anyone on the network can announce anything, so this alone proves nothing.</source>
        <translation>Er stimmt mit dem Fingerabdruck überein, den der Server in diesem Netzwerk angekündigt hat. Im Netzwerk kann aber jeder alles ankündigen: Das allein beweist nichts.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It does NOT match the fingerprint announced on this network under this name. Something else may be answering at this address: ask your admin before you trust it.</source>
        <translation>Er stimmt NICHT mit dem Fingerabdruck überein, der in diesem Netzwerk unter diesem Namen angekündigt wurde. Unter dieser Adresse antwortet vielleicht etwas anderes: Frag deine Administration, bevor du ihm vertraust.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Paste the fingerprint your admin gave you (optional):</source>
        <translation>Fingerabdruck von deiner Administration &amp;einfügen (optional):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Trust and connect</source>
        <translation>&amp;Vertrauen und verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust this server and connect</source>
        <translation>Diesem Server vertrauen und verbinden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel: do not trust this server</source>
        <translation>Abbrechen: diesem Server nicht vertrauen</translation>
    </message>
</context>
<context>
    <name>tern::app::ui::UserSearchWidget</name>
    <message>
        <location filename="../app/ui/UserSearchWidget.cpp" line="+28"/>
        <source>Clear search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1  @%2</source>
        <extracomment>A user in a list: display name, then the @user name.</extracomment>
        <translation>%1  @%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search by name or user name</source>
        <translation>Nach Name oder Benutzername suchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search users</source>
        <translation>Personen suchen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type a name; use the arrow keys to choose a result and Enter to pick it</source>
        <translation>Gib einen Namen ein; wähle mit den Pfeiltasten ein Ergebnis und übernimm es mit der Eingabetaste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Users found</source>
        <translation>Gefundene Personen</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Recent chats</source>
        <extracomment>Heading of the people offered before anything is typed in &quot;New chat&quot;.</extracomment>
        <translation>Letzte Chats</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>No users found</source>
        <translation>Keine Personen gefunden</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1, user name %2</source>
        <translation>%1, Benutzername %2</translation>
    </message>
</context>
</TS>
