/// The version both executables print (`-version`). The wire protocol and the formats carry versions of their own.
public enum PeerStoreVersion {
    public static let current = "0.11.0"
}
