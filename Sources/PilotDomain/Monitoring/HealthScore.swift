/// A pilot's health from 0 to 100 on one day, with the factors that took points off.
///
/// 100 points are shared out so that each kind of trouble has a ceiling:
/// - **criteria, 60 points**, split by weight: a required criterion weighs 3, a
///   reported one 1 (a required miss fails the pilot, a reported one does not). A
///   criterion loses its share times its shortfall (`HealthFactor.shortfall`, 0…1), and a
///   required criterion at risk at least 20, since it alone fails the pilot;
/// - **open issues, up to 20**: 20 per open critical issue (it alone fails the pilot
///   at the end), 8 per high, 3 per medium, 1 per low; resolved issues cost nothing;
/// - **missing data, 10**: the share of days without metrics since the setup phase
///   ended (setup days are exempt: feeds are often not connected yet);
/// - **feedback, 10**: without any response, nothing before the middle of the pilot
///   and all 10 from it on; with responses, `10 × (100 − NPS) / 200`.
///
/// The score is 100 minus the points lost, rounded, at least 0. The labels (`Label.of`)
/// are set so that one serious problem alone (an open critical issue, or a required
/// criterion at risk: 20 points each) makes a pilot concerning, and two of them, or a
/// pilot that sends nothing after its setup phase, make it poor.
public struct HealthScore: Hashable, Sendable {
    /// What the score means for the people running the pilot.
    public enum Label: String, Hashable, Sendable {
        case healthy, concerning, poor

        /// Healthy from 85, concerning from 65, poor below.
        public static func of(score: Int) -> Label {
            score >= 85 ? .healthy : (score >= 65 ? .concerning : .poor)
        }
    }

    /// The day scored.
    public var day: Int
    /// 0…100.
    public var score: Int
    public var label: Label
    /// Every factor, including those that lost nothing: one per criterion in the
    /// criteria's order, then open issues, missing data and feedback.
    public var factors: [HealthFactor]

    /// The score of `evaluation`'s day. Without `describing` the factors' sentences are
    /// empty (`PilotHealth` compares a week before by points alone).
    public init(_ evaluation: PilotEvaluation, describing: Bool = true) {
        factors = HealthFactor.factors(of: evaluation, describing: describing)
        day = evaluation.day
        let lost = factors.reduce(0) { $0 + $1.pointsLost }
        score = min(100, max(0, Int((100 - lost).rounded())))
        label = .of(score: score)
    }

    /// The factor named `name`, if the score has it.
    public func factor(_ name: String) -> HealthFactor? {
        factors.first { $0.name == name }
    }
}
