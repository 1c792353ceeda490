/// The built-in pilot agreement, used when the workspace has no
/// `artifacts/sales/current/pilot-agreement.md`.
///
/// A workspace template is Mustache over the same variables. Every value is
/// already escaped as one line of Markdown text, so `{{name}}` and
/// `{{{name}}}` render the same thing. Variables:
///
/// - `is_final`, `is_proposal`: which document this is.
/// - `provider_name`, `customer_name`, `customer_domain`?, `customer_industry`?,
///   `founder_name`, `founder_email`, `customer_signatory_name`, `timezone`.
/// - `contacts`: `name`, `email`, `title`?, `technical`, `decision_maker`.
/// - `duration_days`, `start_date`, `end_date` ("1 December 2026"),
///   `start_date_iso`, `end_date_iso`; `phases`: `title`, `first_day`, `last_day`.
/// - `pain_points` (strings), `has_pain_points`.
/// - `use_cases`: `number`, `title`, `description`.
/// - `criteria`: `id`, `kind`, `name`, `target`, `how_measured`, `required`
///   ("Yes"/"No"), `is_required`; `has_reported_only_criteria`.
/// - `daily_checkins`, `async_support`, `support_summary`, `response_time`,
///   `critical_response_time`.
/// - `pricing_free`, `pricing_discounted`, `currency`, `list_price_annual`,
///   `list_price_period`, `discount_pct`, `amount_payable`, `pricing_summary`.
/// - `has_amendments`, `amendments`: `item`, `before`, `after` (final only).
/// - `signed`: `name`, `email`, `date`, `method` (final only).
public enum DefaultAgreementTemplate {
    /// The template text.
    public static let text = #"""
        # Pilot Agreement{{#is_final}}: final version{{/is_final}}

        **{{customer_name}}** and **{{provider_name}}**

        {{#is_proposal}}
        *Proposed terms, for review before signature.*
        {{/is_proposal}}
        {{#signed}}
        *Signed by {{name}} ({{email}}) on {{date}} by {{method}}. This version includes the changes agreed in negotiation; see "Amendments".*
        {{/signed}}

        This Pilot Agreement (the "Agreement") sets out the terms on which {{provider_name}} ("the Provider") makes its product available to {{customer_name}} ("the Customer") for a limited evaluation (the "Pilot").

        ## 1. Parties

        - **Customer:** {{customer_name}}{{#customer_domain}} ({{customer_domain}}){{/customer_domain}}{{#customer_industry}}, {{customer_industry}}{{/customer_industry}}
        - **Provider:** {{provider_name}}, represented by {{founder_name}} ({{founder_email}})

        Customer contacts for the Pilot:

        {{#contacts}}
        - {{name}}{{#title}}, {{title}}{{/title}} ({{email}}){{#technical}}: technical team{{/technical}}{{#decision_maker}}; authorised to sign{{/decision_maker}}
        {{/contacts}}

        ## 2. Purpose

        The Pilot lets the Customer evaluate the product on its own data and workflows against the success criteria in section 5, so that both parties can decide on a commercial agreement on the basis of measured results rather than expectations.
        {{#has_pain_points}}

        The Customer described these challenges, which the Pilot addresses:

        {{#pain_points}}
        - {{.}}
        {{/pain_points}}
        {{/has_pain_points}}

        ## 3. Duration and dates

        The Pilot runs for **{{duration_days}} days**, from **{{start_date}}** to **{{end_date}}** inclusive (dates in the Customer's time zone, {{timezone}}). It has three phases:

        {{#phases}}
        - Days {{first_day}} to {{last_day}}: {{title}}
        {{/phases}}

        The Provider sends a written progress report every seven days and a results report when the Pilot ends.

        ## 4. Use cases

        The Pilot covers these use cases:

        {{#use_cases}}
        {{number}}. **{{title}}**: {{description}}
        {{/use_cases}}

        ## 5. Success criteria

        The Pilot is successful when every criterion marked "Yes" under "Required" is met at the end of the Pilot, measured as described.{{#has_reported_only_criteria}} Criteria marked "No" are measured and reported but do not decide the outcome.{{/has_reported_only_criteria}}

        | Metric | Target | How measured | Required |
        |---|---|---|---|
        {{#criteria}}
        | {{name}} | {{target}} | {{how_measured}} | {{required}} |
        {{/criteria}}

        The Customer gives the Provider the data needed to measure the criteria (usage metrics, feedback from users, the hours spent on the work today). A criterion for which no data was reported is not met.

        ## 6. Support

        {{support_summary}} The Provider answers questions within {{response_time}}, and critical issues (the product unavailable or producing wrong results) within {{critical_response_time}}, on business days in the Customer's time zone. If a criterion is at risk, the Provider proposes a check-in call to agree on corrective steps.

        ## 7. Fees

        {{#pricing_free}}
        The Pilot is free of charge. For reference, the annual list price of the product for the Customer is {{list_price_annual}}.
        {{/pricing_free}}
        {{#pricing_discounted}}
        The Pilot is charged at a discount on the list price, pro rata for its duration:

        | Item | Amount |
        |---|---|
        | Annual list price | {{list_price_annual}} |
        | List price for {{duration_days}} days (pro rata) | {{list_price_period}} |
        | Pilot discount | {{discount_pct}} |
        | **Amount payable for the Pilot** | **{{amount_payable}}** |

        The amount payable is invoiced at the start of the Pilot, payable within 30 days, exclusive of taxes.
        {{/pricing_discounted}}

        Neither party is obliged to enter into a further agreement. If the Customer signs a subscription within 30 days of the end of the Pilot, any amount paid for the Pilot is credited against the first invoice.

        ## 8. Data and confidentiality

        - The Customer's data stays the Customer's. The Provider processes it only to run the Pilot, does not use it to train models for other customers, and deletes it within 30 days after the Pilot unless the parties sign a subscription.
        - Each party keeps the other's non-public information, including the terms and results of the Pilot, confidential and uses it only for the Pilot. Where the parties have signed a non-disclosure agreement, it applies as well.
        - Access to the product is limited to the Customer's named users; the Customer keeps its credentials safe.

        ## 9. Other terms

        - The product is provided for evaluation "as is"; the Provider's liability under this Agreement is limited to the amount paid for the Pilot.
        - Either party may end the Pilot early by written notice (e-mail suffices); the Provider then refunds any unused part of the amount paid.
        - Changes to this Agreement are valid only in writing and agreed by both parties.
        {{#has_amendments}}

        ## Amendments

        These terms were changed from the proposal during negotiation:

        | Item | Proposed | Agreed |
        |---|---|---|
        {{#amendments}}
        | {{item}} | {{before}} | {{after}} |
        {{/amendments}}
        {{/has_amendments}}

        ## Signatures

        | | Customer: {{customer_name}} | Provider: {{provider_name}} |
        |---|---|---|
        | Name | {{#signed}}{{name}}{{/signed}}{{^signed}}{{customer_signatory_name}}{{/signed}} | {{founder_name}} |
        | Signature | {{#signed}}Signed by {{method}}{{/signed}} | |
        | Date | {{#signed}}{{date}}{{/signed}} | |

        """#
}
