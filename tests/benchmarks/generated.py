"""Generated scale data inside a test's transaction: fingerprinted and cleared."""

from django.db import connection

from demo.scale_data import GENERATED_TABLES

# Every generated row by its natural keys (refs, codes, ISO3), not by ids, which depend on
# what the test database's sequences handed out before.
FINGERPRINT_SQL = """
SELECT md5(string_agg(line, E'\\n' ORDER BY line)) FROM (
    SELECT concat_ws('|', 'review', s.iso3, r.cycle, r.review_year, r.self_assessment_submitted,
                     r.direct_dialogue, r.direct_dialogue_kind, r.executive_summary_completed,
                     r.country_report_completed, r.executive_summary_published,
                     r.country_report_published,
                     (SELECT string_agg(o.iso3, ',' ORDER BY o.iso3)
                      FROM reviews_review_reviewing_states rs
                      JOIN reviews_state o ON o.id = rs.state_id WHERE rs.review_id = r.id)) AS line
    FROM reviews_review r JOIN reviews_state s ON s.id = r.state_id
    UNION ALL
    SELECT concat_ws('|', 'need', n.ref, s.iso3, r.cycle, c.roman, a.number, cat.code, sub.code,
                     n.description, n.priority, n.status, n.coverage, n.acceptance,
                     n.identified_on, n.last_confirmed_on, lc.username, pb.username,
                     (SELECT string_agg(t.code, ',' ORDER BY t.code) FROM needs_need_themes nt
                      JOIN needs_theme t ON t.id = nt.theme_id WHERE nt.need_id = n.id))
    FROM needs_need n JOIN reviews_review r ON r.id = n.review_id
    JOIN reviews_state s ON s.id = r.state_id JOIN reviews_chapter c ON c.id = n.chapter_id
    LEFT JOIN reviews_article a ON a.id = n.article_id
    JOIN needs_category cat ON cat.id = n.category_id
    LEFT JOIN needs_subcategory sub ON sub.id = n.subcategory_id
    LEFT JOIN core_user lc ON lc.id = n.last_confirmed_by_id
    LEFT JOIN core_user pb ON pb.id = n.proposed_by_id
    UNION ALL
    SELECT concat_ws('|', 'comment', n.ref, u.username, m.text, m.status_to, m.created_at)
    FROM needs_needcomment m JOIN needs_need n ON n.id = m.need_id
    LEFT JOIN core_user u ON u.id = m.author_id
    UNION ALL
    SELECT concat_ws('|', 'activity', x.ref, x.title, x.activity_type, x.level, p.name,
                     x.start_date, x.end_date, x.status, x.delivery_mode, x.budget,
                     x.budget_currency,
                     (SELECT string_agg(o.iso3, ',' ORDER BY o.iso3)
                      FROM assistance_activity_beneficiary_states b
                      JOIN reviews_state o ON o.id = b.state_id WHERE b.activity_id = x.id),
                     (SELECT string_agg(concat_ws(':', d.name, f.amount, f.currency, f.year),
                                        ',' ORDER BY d.name)
                      FROM assistance_fundingcontribution f
                      JOIN assistance_donor d ON d.id = f.donor_id WHERE f.activity_id = x.id))
    FROM assistance_activity x JOIN assistance_provider p ON p.id = x.provider_id
    UNION ALL
    SELECT concat_ws('|', 'link', x.ref, n.ref, l.extent)
    FROM assistance_activityneedlink l JOIN assistance_activity x ON x.id = l.activity_id
    JOIN needs_need n ON n.id = l.need_id
    UNION ALL
    SELECT concat_ws('|', 'interest', d.name, n.ref, i.kind, i.note, i.amount, i.created_at,
                     i.withdrawn_at, u.username)
    FROM assistance_donorinterest i JOIN assistance_donor d ON d.id = i.donor_id
    JOIN needs_need n ON n.id = i.need_id LEFT JOIN core_user u ON u.id = i.created_by_id
    UNION ALL
    SELECT concat_ws('|', 'user', u.username, u.role, s.iso3, d.name)
    FROM core_user u LEFT JOIN reviews_state s ON s.id = u.state_id
    LEFT JOIN assistance_donor d ON d.id = u.donor_id
) AS everything
"""


def fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL)
        return cursor.fetchone()[0]


def clear_generated_data() -> None:
    """Empty the tables the generator fills (within the test's transaction, so undone)."""
    tables = ", ".join(f'"{model._meta.db_table}"' for model in GENERATED_TABLES)
    with connection.cursor() as cursor:
        # TRUNCATE refuses tables with foreign-key checks still deferred to the commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables} CASCADE")
