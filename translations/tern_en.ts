<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>BubbleExtras</name>
    <message numerus="yes">
        <location filename="../app/ui/BubbleExtras.cpp" line="+218"/>
        <source>%n more</source>
        <translation>
            <numerusform>%n more</numerusform>
            <numerusform>%n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n people</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MessageText</name>
    <message numerus="yes">
        <location filename="../app/models/MessageText.cpp" line="+247"/>
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n byte</numerusform>
            <numerusform>%n bytes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::models::ConversationListModel</name>
    <message numerus="yes">
        <location filename="../app/models/ConversationListModel.cpp" line="+688"/>
        <source>%n unread messages</source>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::session::ServerHost</name>
    <message numerus="yes">
        <location filename="../app/session/ServerHost.cpp" line="+364"/>
        <source>The Tern server did not start within %n second(s).</source>
        <translation>
            <numerusform>The Tern server did not start within %n second.</numerusform>
            <numerusform>The Tern server did not start within %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::Announcer</name>
    <message numerus="yes">
        <location filename="../app/ui/Announcer.cpp" line="+149"/>
        <source>%n new message(s) in %1</source>
        <translation>
            <numerusform>%n new message in %1</numerusform>
            <numerusform>%n new messages in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new message(s) from %1</source>
        <translation>
            <numerusform>%n new message from %1</numerusform>
            <numerusform>%n new messages from %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n new message(s) in %1 chats</source>
        <translation>
            <numerusform>%n new message in %1 chats</numerusform>
            <numerusform>%n new messages in %1 chats</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ChatPane</name>
    <message numerus="yes">
        <location filename="../app/ui/ChatPane.cpp" line="+496"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
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
    <message numerus="yes">
        <location filename="../app/ui/ChatPaneActions.cpp" line="+163"/>
        <source>Delete %n message(s) from your devices? The others still see them.</source>
        <translation>
            <numerusform>Delete %n message from your devices? The others still see it.</numerusform>
            <numerusform>Delete %n messages from your devices? The others still see them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConnectWidget</name>
    <message numerus="yes">
        <location filename="../app/ui/ConnectWidget.cpp" line="+746"/>
        <source>Enter a display name (at most %n character(s)).</source>
        <translation>
            <numerusform>Enter a display name (at most %n character).</numerusform>
            <numerusform>Enter a display name (at most %n characters).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+18"/>
        <source>Enter a name for this device (at most %n character(s)).</source>
        <translation>
            <numerusform>Enter a name for this device (at most %n character).</numerusform>
            <numerusform>Enter a name for this device (at most %n characters).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConnectionBanner</name>
    <message numerus="yes">
        <location filename="../app/ui/ConnectionBanner.cpp" line="+92"/>
        <source>(next try in %n s)</source>
        <translation>
            <numerusform>(next try in %n s)</numerusform>
            <numerusform>(next try in %n s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ConversationDelegate</name>
    <message numerus="yes">
        <location filename="../app/ui/ConversationDelegate.cpp" line="+224"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n person is typing…</numerusform>
            <numerusform>%n people are typing…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::FindBar</name>
    <message numerus="yes">
        <location filename="../app/ui/FindBar.cpp" line="+267"/>
        <location line="+7"/>
        <source>%1 of %n</source>
        <extracomment>Find in chat: the current match of all matches, e.g. &quot;3 of 12&quot;</extracomment>
        <translation>
            <numerusform>%1 of %n</numerusform>
            <numerusform>%1 of %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::ForwardDialog</name>
    <message numerus="yes">
        <location filename="../app/ui/ForwardDialog.cpp" line="+128"/>
        <source>Forward to %n chat(s)</source>
        <translation>
            <numerusform>Forward to %n chat</numerusform>
            <numerusform>Forward to %n chats</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::GroupInfoPanel</name>
    <message numerus="yes">
        <location filename="../app/ui/GroupInfoPanel.cpp" line="+378"/>
        <source>%n member(s)</source>
        <extracomment>Group subtitle: &quot;12 members, 3 online&quot;.</extracomment>
        <translation>
            <numerusform>%n member</numerusform>
            <numerusform>%n members</numerusform>
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
</context>
<context>
    <name>tern::app::ui::JumpToLatestButton</name>
    <message numerus="yes">
        <location filename="../app/ui/JumpToLatestButton.cpp" line="+31"/>
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Jump to latest (%n new)</source>
        <translation>
            <numerusform>Jump to latest (%n new)</numerusform>
            <numerusform>Jump to latest (%n new)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::NewGroupDialog</name>
    <message numerus="yes">
        <location filename="../app/ui/NewGroupDialog.cpp" line="+161"/>
        <source>&amp;Members (%n)</source>
        <translation>
            <numerusform>&amp;Members (%n)</numerusform>
            <numerusform>&amp;Members (%n)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>tern::app::ui::TrayNotifier</name>
    <message numerus="yes">
        <location filename="../app/ui/TrayNotifier.cpp" line="+183"/>
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+32"/>
        <source>Tern — %n unread message(s)</source>
        <translation>
            <numerusform>Tern — %n unread message</numerusform>
            <numerusform>Tern — %n unread messages</numerusform>
        </translation>
    </message>
</context>
</TS>
