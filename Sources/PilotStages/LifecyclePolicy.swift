/// The sales team's rules for chasing and changing a pilot, in pilot days (so
/// `PILOT_DAY_SECONDS` rehearses them too).
public struct LifecyclePolicy: Sendable, Equatable {
    /// A reminder to sign every this many pilot days after the kickoff invite
    /// (`PILOT_SIGNATURE_REMINDER_DAYS`).
    public var signatureReminderDays: Int
    /// The offer lapses after this many pilot days without a signature
    /// (`PILOT_SIGNATURE_EXPIRY_DAYS`).
    public var signatureExpiryDays: Int

    /// The longest a pilot may run, extensions included.
    public static let maxPilotDays = 60

    public init(signatureReminderDays: Int = 3, signatureExpiryDays: Int = 14) {
        self.signatureReminderDays = signatureReminderDays
        self.signatureExpiryDays = signatureExpiryDays
    }

    /// Why the policy cannot be used, or nil.
    public var problem: String? {
        guard signatureReminderDays >= 1 else { return "PILOT_SIGNATURE_REMINDER_DAYS must be at least 1, got \(signatureReminderDays)" }
        // The chase's timers count pilot days like a pilot's own, and the contract caps a
        // tick's day there (defs.v1.json#/$defs/day): a longer chase would emit ticks its
        // own schema refuses.
        guard (1...Self.maxPilotDays).contains(signatureExpiryDays) else {
            return "PILOT_SIGNATURE_EXPIRY_DAYS must be 1 to \(Self.maxPilotDays) pilot days, got \(signatureExpiryDays)"
        }
        return nil
    }
}
