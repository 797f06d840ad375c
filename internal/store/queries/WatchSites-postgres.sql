-- This session receives every NotifySiteChanged of every node.
LISTEN charte_sites
