# What the two demos share (sourced by hack/demo/demo-node.sh, the real node, and
# hack/demo/demo.sh, the KWOK node). The caller defines k (kubectl in the demo's namespace), sql (the
# MariaDB client on the demo's database, extra arguments passed on), STATE and TIMEOUT.

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
info() { printf '   %s\n' "$*"; }
die() { printf '\033[31mdemo: %s\033[0m\n' "$*" >&2; exit 1; }

show_data() {
  sql -t -e "SELECT 'table_entity' AS \`table\`, COUNT(*) AS \`rows\`,
                    SUM(JSON_EXISTS(json, '\$.owner')) AS with_owner,
                    SUM(JSON_EXISTS(json, '\$.owners')) AS with_owners FROM table_entity
             UNION ALL SELECT 'user_entity', COUNT(*), NULL, NULL FROM user_entity
             UNION ALL SELECT 'entity_relationship', COUNT(*), NULL, NULL FROM entity_relationship
             UNION ALL SELECT 'tag_usage', COUNT(*), NULL, NULL FROM tag_usage
             UNION ALL SELECT 'change_event', COUNT(*), NULL, NULL FROM change_event;
             SELECT installed_rank, version, installed_on FROM SERVER_CHANGE_LOG ORDER BY installed_rank;"
}

# One line of facts the end checks compare: rows, rows with owner, rows with owners, latest version.
data_facts() {
  sql -N -e "SELECT CONCAT_WS(' ', COUNT(*), SUM(JSON_EXISTS(json, '\$.owner')),
                    SUM(JSON_EXISTS(json, '\$.owners')),
                    (SELECT version FROM SERVER_CHANGE_LOG ORDER BY installed_rank DESC LIMIT 1))
             FROM table_entity"
}

# follow_upgrade MDU: prints the phase and the conditions of the upgrade as they change until it
# ends; when it waits for approval, approves what it lists, as a person would, by re-applying
# examples/upgrade.yaml with the ids added. Sets PHASE to the phase it ended in.
follow_upgrade() {
  local mdu="$1" last="" approved=0 deadline=$((SECONDS + TIMEOUT)) now pending id
  PHASE=""
  info "following the upgrade: phase, then each condition as it changes"
  while ((SECONDS < deadline)); do
    PHASE="$(k get mdu "$mdu" -o jsonpath='{.status.phase}' 2>/dev/null || true)"
    now="$(k get mdu "$mdu" -o go-template='{{.status.phase}}{{range .status.conditions}} | {{.type}}={{.status}} {{.reason}}{{end}}{{"\n"}}{{.status.message}}' 2>/dev/null || true)"
    if [[ -n $PHASE && $now != "$last" ]]; then
      printf '   %s  %s\n' "$(date +%T)" "$(head -1 <<<"$now")"
      printf '             %s\n' "$(tail -n +2 <<<"$now")"
      last="$now"
    fi
    case "$PHASE" in
      Succeeded | RolledBack | Failed | Stalled) return 0 ;;
      AwaitingApproval)
        if ((!approved)); then
          pending="$(k get mdu "$mdu" -o jsonpath='{.status.pendingApprovals[*]}')"
          echo
          info "The upgrade waits for a person to review breaking changes examples/upgrade.yaml did not approve:"
          for id in $pending; do
            info "  $id: $(k get mdu "$mdu" -o jsonpath="{.status.breakingChanges[?(@.id==\"$id\")].summary} -> {.status.breakingChanges[?(@.id==\"$id\")].action}")"
          done
          # Approving is a spec edit naming what was read: in GitOps, a commit; here, kubectl apply
          # of the example with the ids added. The upgrade resumes where it waited.
          info "The demo approves them, as that person would, by re-applying the example with the ids added:"
          awk -v ids="$pending" '{ print } /^  approvedChanges:/ { n = split(ids, a, " "); for (i = 1; i <= n; i++) print "    - " a[i] }' \
            examples/upgrade.yaml >"$STATE/upgrade-approved.yaml"
          diff -u examples/upgrade.yaml "$STATE/upgrade-approved.yaml" | tail -n +3 | sed 's/^/     /' || true
          k apply -f "$STATE/upgrade-approved.yaml"
          last=""
          approved=1
          echo
        fi
        ;;
    esac
    sleep 1
  done
}

# check_data ROLLBACK ROWS_BEFORE FROM TO BACKUP [WRITTEN]: the demo's claim, checked against the
# database rather than printed on trust. WRITTEN: rows a writer added through the server.
check_data() {
  local rollback="$1" rows_before="$2" from="$3" to="$4" backup="$5" written="${6:-0}"
  local rows with_owner with_owners version expected=$(($2 + ${6:-0}))
  read -r rows with_owner with_owners version <<<"$(data_facts)"
  if ((rollback)); then
    [[ $rows == "$expected" && $with_owner == "$rows" && $with_owners == 0 && $version == "$from" ]] ||
      die "after the rollback table_entity has $rows rows ($rows_before before, $written written), $with_owner with owner, $with_owners with owners, and SERVER_CHANGE_LOG ends at $version (expected $from)"
    info "RolledBack: the failed migration had rewritten half of table_entity (owner -> owners);"
    info "the restore of $backup put every row back: all $rows rows have 'owner' again, SERVER_CHANGE_LOG ends at $from."
  else
    [[ $rows == "$expected" && $with_owner == 0 && $with_owners == "$rows" && $version == "$to" ]] ||
      die "after the upgrade table_entity has $rows rows ($rows_before before, $written written), $with_owner with owner, $with_owners with owners, and SERVER_CHANGE_LOG ends at $version (expected $to)"
    info "Succeeded: all $rows table_entity rows have 'owners' (the 1.5 migration), SERVER_CHANGE_LOG ends at $to."
  fi
}
