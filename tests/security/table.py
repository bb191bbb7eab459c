"""THE role × endpoint table: what every URL pattern and every API operation answers to each role.

One row per request: method, endpoint (a URL pattern's name, or its route when it has none; an
API operation's path as in /api/v1/openapi.json) and, in brackets, a variant when one endpoint is
worth requesting on two objects (the published cluster and the draft one). Columns: the roles of
`tests/security/world.py`, in the order of the header. A status is

    200, 201, 302, 401, 403, 404, 405 …  that status (302: a redirect other than to sign in)
    login        302 to the sign-in page (pages behind login_required)
    admin-login  302 to the admin's sign-in page
    form         200 with the refusal in the form (a choice that was not offered, such as another
                 agency): nothing written
    403|404      either (where the rules leave both open)

The rules (docs/permissions.md, docs/security.md): something you may not see answers 404;
something you may see but not change answers 403; anonymous page writes go to the sign-in page;
anonymous API calls that need a token answer 401 with WWW-Authenticate. Every write leaves the
data unchanged when refused and changes it when allowed (`calls.writes` says what it changes).

A domain keeps its rows, objects, parameters and writes in a module of its own under
tests/security/domains/ (its docstring says how); the older domains' are here. To add a view: add
its rows (every role), its parameters to `calls.by_endpoint` when
`calls.by_parameter` does not have them, and for a write its body and probe to `calls.writes`.
`test_every_endpoint_has_a_row` fails until you do.
"""

ROWS = """
# method endpoint [variant]                                 anon        rep   mgr   o-mgr staff o-staff admin
# Public pages, files and documents
GET    home                                                 200         200   200   200   200   200   200
GET    site_search                                          200         200   200   200   200   200   200
GET    cluster_list                                         200         200   200   200   200   200   200
GET    cluster_map                                          200         200   200   200   200   200   200
GET    agency_list                                          200         200   200   200   200   200   200
GET    region_detail                                        200         200   200   200   200   200   200
GET    organisation_list                                    200         200   200   200   200   200   200
GET    agreement_list                                       200         200   200   200   200   200   200
GET    statistics                                           200         200   200   200   200   200   200
GET    statistics_compare                                   200         200   200   200   200   200   200
GET    category_map                                         200         200   200   200   200   200   200
GET    region_portfolio                                     200         200   200   200   200   200   200
GET    region_opportunities                                 200         200   200   200   200   200   200
GET    cluster_partners                                     200         200   200   200   200   200   200
GET    meta_clusters                                        200         200   200   200   200   200   200
GET    cooperation_network                                  200         200   200   200   200   200   200
GET    initiative_list                                      200         200   200   200   200   200   200
GET    posting_list                                         200         200   200   200   200   200   200
GET    import_template                                      200         200   200   200   200   200   200
GET    export                                               200         200   200   200   200   200   200
GET    sitemap                                              200         200   200   200   200   200   200
GET    robots_txt                                           200         200   200   200   200   200   200
GET    healthz                                              200         200   200   200   200   200   200
GET    readyz                                               200         200   200   200   200   200   200
GET    favicon                                              301         301   301   301   301   301   301
GET    web_manifest                                         200         200   200   200   200   200   200
GET    map_regions                                          200         200   200   200   200   200   200
GET    map_clusters                                         200         200   200   200   200   200   200
GET    media/logos/<path:path>                              404         404   404   404   404   404   404
GET    api:openapi-json                                     200         200   200   200   200   200   200
GET    api:openapi-view                                     200         200   200   200   200   200   200
GET    api:api-root                                         404         404   404   404   404   404   404
GET    set_language                                         302         302   302   302   302   302   302
POST   set_language                                         302         302   302   302   302   302   302

# Accounts (allauth: the requester's own account; its writes are allauth's and test_security's)
GET    account_login                                        200         302   302   302   302   302   302
GET    account_logout                                       302         200   200   200   200   200   200
GET    account_inactive                                     200         200   200   200   200   200   200
GET    account_signup                                       200         302   302   302   302   302   302
GET    account_reauthenticate                               login       200   200   200   200   200   200
GET    account_request_reauthentication_code                login       200   302   302   302   302   302
GET    account_confirm_reauthentication_code                login       302   302   302   302   302   302
GET    account_email                                        login       200   200   200   200   200   200
GET    account_email_verification_sent                      200         200   200   200   200   200   200
GET    account_change_password                              login       200   200   200   200   200   200
GET    account_set_password                                 login       302   302   302   302   302   302
GET    account_reset_password                               200         200   200   200   200   200   200
GET    account_confirm_login_code                           login       302   302   302   302   302   302
GET    account_confirm_email                                200         200   200   200   200   200   200
GET    account_reset_password_from_key_done                 200         200   200   200   200   200   200
GET    account_reset_password_from_key                      200         200   200   200   200   200   200
GET    account_reset_password_done                          200         200   200   200   200   200   200
GET    dashboard                                            login       200   200   200   200   200   200
GET    api_tokens                                           login       200   200   200   200   200   200
GET    jobs                                                 login       403   403   403   403   403   200
POST   api_tokens                                           login       200   200   200   200   200   200
GET    api_token_revoke                                     login       405   405   405   405   405   405
POST   api_token_revoke                                     login       404   302   404   404   404   404

# Registry
GET    cluster_detail                                       200         200   200   200   200   200   200
GET    cluster_detail [draft]                               404         404   200   404   200   404   200
GET    cluster_create                                       login       403   403   403   200   200   200
POST   cluster_create                                       login       403   403   403   302   form  302
GET    cluster_edit                                         login       403   200   403   200   403   200
POST   cluster_edit                                         login       403   302   403   302   403   302
GET    cluster_transition [submit]                          login       405   405   405   405   405   405
POST   cluster_transition [submit]                          login       404   302   404   302   404   302
POST   cluster_transition [publish]                         login       404   403   404   302   404   302
POST   cluster_transition [draft]                           login       403   403   403   302   403   302
GET    cluster_members                                      login       200   200   200   200   200   200
POST   cluster_members                                      login       403   302   403   302   403   302
GET    membership_end                                       login       405   405   405   405   405   405
POST   membership_end                                       login       403   302   403   302   403   302
GET    membership_listing                                   login       405   405   405   405   405   405
POST   membership_listing                                   login       302   302   403   302   403   302
GET    cluster_history                                      login       403   200   403   200   403   200
GET    cluster_invite                                       login       403   403   403   200   403   200
POST   cluster_invite                                       login       403   403   403   302   403   302
GET    invitation_accept                                    200         200   200   200   200   200   200
POST   invitation_accept                                    200         403   403   403   403   403   403
GET    organisation_detail                                  200         200   200   200   200   200   200
GET    organisation_detail [outsider]                       404         404   200   200   200   200   200
GET    organisation_create                                  login       403   200   200   200   200   200
POST   organisation_create                                  login       403   302   302   302   302   302
GET    organisation_edit                                    login       200   200   403   200   403   200
POST   organisation_edit                                    login       302   302   403   302   403   302
GET    agreement_detail                                     404         404   200   404   200   404   200
POST   agreement_detail                                     login       404   403   404   302   404   302
GET    agreement_detail [public]                            200         200   200   200   200   200   200
POST   agreement_detail [public]                            login       403   403   403   403   302   302
GET    agreement_create                                     login       403   403   403   200   200   200
POST   agreement_create                                     login       403   403   403   302   form  302
GET    agreement_edit                                       login       404   403   404   200   404   200
POST   agreement_edit                                       login       404   403   404   302   404   302
GET    agreement_document                                   login       404   200   404   200   404   200
GET    import                                               login       403   200   200   200   200   200
POST   import                                               login       403   200   200   200   200   200

# State aid (the Spanish undertaking, represented by `rep`, and its Spanish grant)
GET    stateaid_overview                                    login       403   403   403   200   200   200
GET    stateaid_check                                       login       403   403   403   200   200   200
GET    stateaid_grant_create                                login       405   405   405   405   405   405
POST   stateaid_grant_create                                login       403   403   403   302   403   302
GET    stateaid_grant_change                                login       403   404   404   200   404   200
POST   stateaid_grant_change                                login       403   404   404   302   404   302
GET    stateaid_restructuring_change                        login       403   403   403   200   200   200
POST   stateaid_restructuring_change                        login       403   403   403   302   403   302
GET    stateaid_mark_reported                               login       405   405   405   405   405   405
POST   stateaid_mark_reported                               login       403   403   403   302   404   302
GET    stateaid_import                                      login       403   403   403   200   200   200
POST   stateaid_import                                      login       403   403   403   200   200   200
GET    stateaid_export                                      login       403   403   403   200   200   200
GET    stateaid_undertaking                                 login       200   404   404   200   200   200
GET    stateaid_undertaking [ES]                            login       200   404   404   200   404   200
GET    stateaid_declaration                                 login       200   404   404   200   200   200

# Benchmarking (the published cluster's answers; [draft]: the draft cluster's)
GET    benchmarking                                         login       200   200   200   200   200   200
GET    benchmarking_round_open                              login       403   403   403   200   200   200
POST   benchmarking_round_open                              login       403   403   403   302   form  302
GET    benchmarking_round                                   login       404   404   404   200   404   200
GET    benchmarking_submission                              login       403   200   403   200   403   200
POST   benchmarking_submission                              login       403   302   403   302   403   302
GET    benchmarking_submission [draft]                      login       404   200   404   200   404   200
GET    benchmarking_field                                   login       405   405   405   405   405   405
POST   benchmarking_field                                   login       403   200   403   200   403   200
GET    benchmarking_submit                                  login       405   405   405   405   405   405
POST   benchmarking_submit                                  login       403   302   403   302   403   302
GET    benchmarking_review                                  login       405   405   405   405   405   405
POST   benchmarking_review                                  login       403   403   403   302   403   302
GET    benchmarking_template                                login       403   200   403   200   403   200
GET    benchmarking_upload                                  login       405   405   405   405   405   405
POST   benchmarking_upload                                  login       403   302   403   302   403   302
GET    benchmarking_comparison                              login       403   200   403   200   403   200
POST   benchmarking_comparison                              login       403   302   403   302   403   302
GET    benchmarking_history                                 login       403   200   403   200   403   200
GET    benchmarking_history [draft]                         login       404   200   404   200   404   200
GET    benchmarking_labels                                  login       403   200   403   200   403   200
GET    benchmarking_labels [draft]                          login       404   200   404   200   404   200
GET    benchmarking_report                                  login       403   200   403   200   403   200
GET    benchmarking_report_pdf                              login       403   200   403   200   403   200
GET    benchmarking_policies                                login       200   200   200   200   200   200
GET    benchmarking_policies_pdf                            login       200   200   200   200   200   200
GET    benchmarking_policy_edit                             login       403   403   403   200   403   200
POST   benchmarking_policy_edit                             login       403   403   403   302   403   302

# Cooperation (a published posting of the Galician cluster; [pending]: one awaiting moderation)
GET    initiative_create                                    login       405   405   405   405   405   405
POST   initiative_create                                    login       403   403   403   302   403   302
GET    posting_create                                       login       200   200   200   200   200   200
POST   posting_create                                       login       form  302   form  302   form  302
GET    posting_moderation                                   login       200   200   200   200   200   200
GET    posting_detail                                       200         200   200   200   200   200   200
GET    posting_detail [pending]                             404         404   200   404   200   404   200
GET    posting_action [publish]                             login       405   405   405   405   405   405
POST   posting_action [publish]                             login       404   403   404   302   404   302
POST   posting_action [interest]                            login       302   302   302   302   302   302
POST   posting_action [close]                               login       403   302   403   302   403   302

# API: registry
GET    /api/v1/clusters                                     200         200   200   200   200   200   200
POST   /api/v1/clusters                                     401         403   403   403   201   403   201
GET    /api/v1/clusters/{slug}                              200         200   200   200   200   200   200
GET    /api/v1/clusters/{slug} [draft]                      404         404   200   404   200   404   200
PATCH  /api/v1/clusters/{slug}                              401         403   200   403   200   403   200
PATCH  /api/v1/clusters/{slug} [draft]                      401         404   200   404   200   404   200
GET    /api/v1/organisations                                200         200   200   200   200   200   200
POST   /api/v1/organisations                                401         403   201   201   201   201   201
GET    /api/v1/organisations/{slug}                         200         200   200   200   200   200   200
GET    /api/v1/organisations/{slug} [outsider]              404         404   200   200   200   200   200
PATCH  /api/v1/organisations/{slug}                         401         200   200   403   200   403   200
PATCH  /api/v1/organisations/{slug} [outsider]              401         404   403   200   403   200   200
GET    /api/v1/memberships                                  200         200   200   200   200   200   200
POST   /api/v1/memberships                                  401         403   201   403   201   403   201
GET    /api/v1/memberships/{membership_id}                  200         200   200   200   200   200   200
PATCH  /api/v1/memberships/{membership_id}                  401         200   200   403   200   403   200
GET    /api/v1/agreements                                   200         200   200   200   200   200   200
POST   /api/v1/agreements                                   401         403   403   403   201   403   201
GET    /api/v1/agreements/{slug}                            404         404   200   404   200   404   200
PATCH  /api/v1/agreements/{slug}                            401         404   403   404   200   404   200

# API: statistics (public)
GET    /api/v1/datasets                                     200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}                              200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/observations                 200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/rating-sets                  200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/ratings                      200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/portfolio/{region}           200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/categories/{category}        200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/trends                       200         200   200   200   200   200   200
GET    /api/v1/datasets/{slug}/opportunities/{region}       200         200   200   200   200   200   200

# API: state aid
POST   /api/v1/stateaid/check                               401         403   403   403   200   404   200
POST   /api/v1/stateaid/gge                                 401         403   403   403   200   200   200
POST   /api/v1/stateaid/grants                              401         403   403   403   201   403|404 201
POST   /api/v1/stateaid/grants/{grant_id}/correction        401         403   404   404   201   404   201
POST   /api/v1/stateaid/grants/{grant_id}/revocation        401         403   404   404   201   404   201
GET    /api/v1/stateaid/undertakings/{identifier}           401         200   404   404   200   200   200
GET    /api/v1/stateaid/undertakings/{identifier} [ES]      401         200   404   404   200   404   200
POST   /api/v1/stateaid/restructurings/{restructuring_id}/correction 401 403 403 403 201 403 201
POST   /api/v1/stateaid/restructurings/{restructuring_id}/revocation 401 403 403 403 201 403 201
POST   /api/v1/stateaid/mergers                             401         403   403   403   201   403|404 201
POST   /api/v1/stateaid/splits                              401         403   403   403   201   403|404 201
POST   /api/v1/stateaid/imports/{kind}                      401         403   403   403   200   200   200
GET    /api/v1/stateaid/register                            401         403   403   403   200   200   200

# API: benchmarking
GET    /api/v1/benchmarking/frameworks/{slug}               401         200   200   200   200   200   200
POST   /api/v1/benchmarking/frameworks                      401         403   403   403   403   403   201
POST   /api/v1/benchmarking/rounds                          401         403   403   403   201   403   201
GET    /api/v1/benchmarking/submissions/{submission_id}     401         403   200   403   200   403   200
GET    /api/v1/benchmarking/submissions/{submission_id} [draft] 401     404   200   404   200   404   200
PATCH  /api/v1/benchmarking/submissions/{submission_id}     401         403   200   403   200   403   200
POST   /api/v1/benchmarking/submissions/{submission_id}/template 401    403   200   403   200   403   200
POST   /api/v1/benchmarking/submissions/{submission_id}/submission 401  403   200   403   200   403   200
POST   /api/v1/benchmarking/submissions/{submission_id}/review 401      403   403   403   200   403   200
GET    /api/v1/benchmarking/peers                           401         403   200   403   200   403   200
GET    /api/v1/benchmarking/peers [draft]                   401         404   422   404   422   404   422
GET    /api/v1/benchmarking/labels                          401         403   200   403   200   403   200
GET    /api/v1/benchmarking/labels [draft]                  401         404   200   404   200   404   200
GET    /api/v1/benchmarking/report                          401         403   200   403   200   403   200
GET    /api/v1/benchmarking/policies                        401         200   200   200   200   200   200
PUT    /api/v1/benchmarking/policies/{agency}/{year}        401         403   403   403   200   403   200

# API: cooperation
GET    /api/v1/cooperation/match                            200         200   200   200   200   200   200
GET    /api/v1/cooperation/meta-clusters                    200         200   200   200   200   200   200
POST   /api/v1/cooperation/evaluation                       401         200   200   200   200   200   200
GET    /api/v1/cooperation/postings                         200         200   200   200   200   200   200
POST   /api/v1/cooperation/postings                         401         403   201   403   201   403   201
POST   /api/v1/cooperation/postings [draft]                 401         404   201   404   201   404   201
POST   /api/v1/cooperation/postings/{posting_id}/interest   401         200   200   200   200   200   200
"""

# The admin site checks in one place (AdminSite.admin_view) that the user is active staff, and
# only the platform admin is: its pages share a rule by the shape of their name or route, first
# match wins, so that a model registered tomorrow is requested without a new row.
ADMIN_SITE = r"""
# pattern (regular expression over the key)                  anon        rep   mgr   o-mgr staff o-staff admin
admin:login                                                  200         200   200   200   200   200   302
admin:logout                                                 302         302   302   302   302   302   405
admin:autocomplete                                           admin-login admin-login admin-login admin-login admin-login admin-login 403
admin:view_on_site                                           admin-login admin-login admin-login admin-login admin-login admin-login 404
admin:(core_auditentry|stateaid_\w+|benchmarking_framework|django_tasks_database_dbtaskresult)_(add|delete) admin-login admin-login admin-login admin-login admin-login admin-login 403
admin:mapping_dataset_add                                    admin-login admin-login admin-login admin-login admin-login admin-login 403
admin:cooperation_learnedweights_add                         admin-login admin-login admin-login admin-login admin-login admin-login 403
admin/.+/<path:object_id>/                                   admin-login admin-login admin-login admin-login admin-login admin-login 302
admin/\(\?P<url>.*                                           admin-login admin-login admin-login admin-login admin-login admin-login 404
admin:.*                                                     admin-login admin-login admin-login admin-login admin-login admin-login 200
"""

# Rows where today's code still disagrees with the rules. Each is marked xfail(strict=True): when
# the fix is merged the row passes, the strict mark turns that into a failure, and the mark is
# removed here. One list, so the lead sees at a glance what is still open.
KNOWN_WRONG: dict[tuple[str, str], str] = {}
