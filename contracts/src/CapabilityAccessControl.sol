// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Administered} from "./Administered.sol";
import {IdentityRegistry, NodeType} from "./IdentityRegistry.sol";

/// @title CapabilityAccessControl
/// @notice One capability token per subject, holding any number of access rights. Each right
/// names a resource and an action and may restrict the time of day, the subject's zone and its
/// node type; zone and node type are read from the IdentityRegistry at evaluation time, so a
/// node moved out of a zone loses the rights bound to it at once. Tokens are issued, updated and
/// revoked by the domain admin or by issuers it appoints; every change bumps the token's version
/// and emits an event. Refusals revert with custom errors; `checkAccess` is a view that returns
/// a {Decision} explaining a denial.
contract CapabilityAccessControl is Administered {
    /// One access right. `startSecond`/`endSecond` bound the time of day in UTC seconds
    /// (0..86399); equal values mean "any time", start > end wraps past midnight. A zero
    /// `zoneId` means any zone; a zero `nodeTypes` bitmask (bit i = NodeType(i)) any type.
    struct Right {
        string resource;
        string action;
        uint32 startSecond;
        uint32 endSecond;
        bytes32 zoneId;
        uint8 nodeTypes;
    }

    struct Token {
        uint64 version;
        bool valid;
        uint64 issuedAt;
        uint64 expiresAt;
        Right[] rights;
    }

    /// Outcome of {checkAccess}. The zero value denies, so an uninitialised result never grants.
    enum Decision {
        NoToken,
        Allowed,
        Revoked,
        NotYetValid,
        Expired,
        SubjectNotRegistered,
        NoMatchingRight,
        ConditionNotMet
    }

    uint256 public constant MAX_RIGHTS = 32;
    uint32 private constant SECONDS_PER_DAY = 86_400;
    // Bits 1..4: Edge, Fog, Cloud, User.
    uint8 private constant NODE_TYPE_MASK = 0x1e;

    error NotIssuer(address caller);
    error SubjectNotRegistered(address subject);
    error TokenAlreadyIssued(address subject, uint64 version);
    error NoToken(address subject);
    error TokenAlreadyRevoked(address subject, uint64 version);
    error InvalidExpiry(uint64 expiresAt, uint64 now_);
    error TooManyRights(uint256 count, uint256 max);
    error InvalidRight(uint256 index, string reason);
    error UnknownZone(bytes32 zoneId);

    event IssuerAdded(address indexed issuer);
    event IssuerRemoved(address indexed issuer);
    event TokenIssued(
        address indexed subject,
        address indexed issuer,
        uint64 version,
        uint64 expiresAt,
        uint256 rightCount
    );
    event TokenUpdated(
        address indexed subject,
        address indexed issuer,
        uint64 version,
        uint64 expiresAt,
        uint256 rightCount
    );
    event TokenRevoked(address indexed subject, address indexed issuer, uint64 version);

    IdentityRegistry public immutable registry;
    mapping(address account => bool) public isIssuer;
    mapping(address subject => Token) private tokens;

    constructor(address initialAdmin, IdentityRegistry identityRegistry)
        Administered(initialAdmin)
    {
        if (address(identityRegistry) == address(0)) revert ZeroAddress();
        registry = identityRegistry;
    }

    modifier onlyIssuer() {
        if (msg.sender != admin && !isIssuer[msg.sender]) revert NotIssuer(msg.sender);
        _;
    }

    /// Lets `issuer` issue, update and revoke tokens.
    function addIssuer(address issuer) external onlyAdmin {
        if (issuer == address(0)) revert ZeroAddress();
        isIssuer[issuer] = true;
        emit IssuerAdded(issuer);
    }

    /// Withdraws the issuer role from `issuer`.
    function removeIssuer(address issuer) external onlyAdmin {
        isIssuer[issuer] = false;
        emit IssuerRemoved(issuer);
    }

    /// Issues a token to a registered `subject` that has none (or whose token was revoked).
    function issueToken(address subject, uint64 expiresAt, Right[] calldata rights)
        external
        onlyIssuer
    {
        (NodeType nodeType,) = registry.getNode(subject);
        if (nodeType == NodeType.None) revert SubjectNotRegistered(subject);
        Token storage token = tokens[subject];
        if (token.valid) revert TokenAlreadyIssued(subject, token.version);
        writeToken(token, expiresAt, rights);
        token.valid = true;
        token.issuedAt = uint64(block.timestamp);
        emit TokenIssued(subject, msg.sender, token.version, expiresAt, rights.length);
    }

    /// Replaces the rights and expiry of `subject`'s valid token.
    function updateToken(address subject, uint64 expiresAt, Right[] calldata rights)
        external
        onlyIssuer
    {
        Token storage token = tokens[subject];
        if (token.version == 0) revert NoToken(subject);
        if (!token.valid) revert TokenAlreadyRevoked(subject, token.version);
        writeToken(token, expiresAt, rights);
        emit TokenUpdated(subject, msg.sender, token.version, expiresAt, rights.length);
    }

    /// Revokes `subject`'s token; it grants nothing until issued again.
    function revokeToken(address subject) external onlyIssuer {
        Token storage token = tokens[subject];
        if (token.version == 0) revert NoToken(subject);
        if (!token.valid) revert TokenAlreadyRevoked(subject, token.version);
        token.valid = false;
        token.version += 1;
        emit TokenRevoked(subject, msg.sender, token.version);
    }

    /// The token of `subject` (version 0 when none was ever issued).
    function getToken(address subject)
        external
        view
        returns (
            uint64 version,
            bool valid,
            uint64 issuedAt,
            uint64 expiresAt,
            Right[] memory rights
        )
    {
        Token storage token = tokens[subject];
        return (token.version, token.valid, token.issuedAt, token.expiresAt, token.rights);
    }

    /// Decides whether `subject` may perform `action` on `resource` at unix time `atTime` (s).
    function checkAccess(address subject, string calldata resource, string calldata action, uint64 atTime)
        external
        view
        returns (Decision)
    {
        Token storage token = tokens[subject];
        if (token.version == 0) return Decision.NoToken;
        if (!token.valid) return Decision.Revoked;
        if (atTime < token.issuedAt) return Decision.NotYetValid;
        if (atTime > token.expiresAt) return Decision.Expired;
        (NodeType nodeType, bytes32 zoneId) = registry.getNode(subject);
        if (nodeType == NodeType.None) return Decision.SubjectNotRegistered;
        bytes32 resourceHash = keccak256(bytes(resource));
        bytes32 actionHash = keccak256(bytes(action));
        uint32 secondOfDay = uint32(atTime % SECONDS_PER_DAY);
        bool named = false;
        uint256 count = token.rights.length;
        for (uint256 i = 0; i < count; i++) {
            Right storage right = token.rights[i];
            if (keccak256(bytes(right.resource)) != resourceHash) continue;
            if (keccak256(bytes(right.action)) != actionHash) continue;
            named = true;
            if (!withinWindow(right.startSecond, right.endSecond, secondOfDay)) continue;
            if (right.zoneId != bytes32(0) && right.zoneId != zoneId) continue;
            if (right.nodeTypes != 0 && (right.nodeTypes & (uint8(1) << uint8(nodeType))) == 0) {
                continue;
            }
            return Decision.Allowed;
        }
        return named ? Decision.ConditionNotMet : Decision.NoMatchingRight;
    }

    function writeToken(Token storage token, uint64 expiresAt, Right[] calldata rights) private {
        if (expiresAt <= block.timestamp) revert InvalidExpiry(expiresAt, uint64(block.timestamp));
        if (rights.length > MAX_RIGHTS) revert TooManyRights(rights.length, MAX_RIGHTS);
        delete token.rights;
        for (uint256 i = 0; i < rights.length; i++) {
            Right calldata right = rights[i];
            validateRight(i, right);
            Right storage stored = token.rights.push();
            stored.resource = right.resource;
            stored.action = right.action;
            stored.startSecond = right.startSecond;
            stored.endSecond = right.endSecond;
            stored.zoneId = right.zoneId;
            stored.nodeTypes = right.nodeTypes;
        }
        token.expiresAt = expiresAt;
        token.version += 1;
    }

    function validateRight(uint256 index, Right calldata right) private view {
        if (bytes(right.resource).length == 0) revert InvalidRight(index, "empty resource");
        if (bytes(right.action).length == 0) revert InvalidRight(index, "empty action");
        if (right.startSecond >= SECONDS_PER_DAY || right.endSecond >= SECONDS_PER_DAY) {
            revert InvalidRight(index, "time of day out of range");
        }
        if (right.nodeTypes & ~NODE_TYPE_MASK != 0) revert InvalidRight(index, "unknown node type");
        if (right.zoneId != bytes32(0) && !registry.zoneExists(right.zoneId)) {
            revert UnknownZone(right.zoneId);
        }
    }

    function withinWindow(uint32 start, uint32 end, uint32 second) private pure returns (bool) {
        if (start == end) return true;
        if (start < end) return second >= start && second <= end;
        return second >= start || second <= end;
    }
}
