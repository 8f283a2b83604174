// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Administered} from "./Administered.sol";

/// @title PrivacyPolicy
/// @notice Per data owner (a person's account or a camera), which attributes of its footage are
/// sensitive — faces, people, licence plates, zones — and which subjects or roles may see them
/// unscrambled. Attributes are bits: FACES = 1, PEOPLE = 2, PLATES = 4, ZONES = 8.
/// Private by default: without a policy every attribute counts as sensitive and only the owner
/// sees it. A policy is written by its owner or by the domain admin (for cameras without keys);
/// roles are assigned to subjects by the admin.
contract PrivacyPolicy is Administered {
    uint8 public constant FACES = 1;
    uint8 public constant PEOPLE = 2;
    uint8 public constant PLATES = 4;
    uint8 public constant ZONES = 8;
    uint8 public constant ALL_ATTRIBUTES = 15;
    uint256 public constant MAX_ROLES_PER_OWNER = 16;

    struct Policy {
        bool exists;
        uint8 sensitive;
        uint64 version;
    }

    error NotOwnerOrAdmin(address owner, address caller);
    error InvalidAttributes(uint8 attributes);
    error InvalidAttribute(uint8 attribute);
    error InvalidRole();
    error NoPolicy(address owner);
    error TooManyRoles(address owner, uint256 max);

    event PolicySet(address indexed owner, uint8 sensitive, uint64 version);
    event SubjectAccessSet(address indexed owner, address indexed subject, uint8 attributes);
    event RoleAccessSet(address indexed owner, bytes32 indexed role, uint8 attributes);
    event RoleAssigned(address indexed subject, bytes32 indexed role);
    event RoleUnassigned(address indexed subject, bytes32 indexed role);

    mapping(address owner => Policy) private policies;
    mapping(address owner => mapping(address subject => uint8)) private subjectAccess;
    mapping(address owner => mapping(bytes32 role => uint8)) private roleAccess;
    mapping(address owner => bytes32[]) private ownerRoles;
    mapping(bytes32 role => mapping(address subject => bool)) public hasRole;

    constructor(address initialAdmin) Administered(initialAdmin) {}

    modifier onlyOwnerOrAdmin(address owner) {
        if (msg.sender != owner && msg.sender != admin) revert NotOwnerOrAdmin(owner, msg.sender);
        _;
    }

    /// Sets which attributes of `owner`'s data are sensitive (a bitmask, 0 = none).
    function setPolicy(address owner, uint8 sensitive) external onlyOwnerOrAdmin(owner) {
        if (owner == address(0)) revert ZeroAddress();
        if (sensitive & ~ALL_ATTRIBUTES != 0) revert InvalidAttributes(sensitive);
        Policy storage policy = policies[owner];
        policy.exists = true;
        policy.sensitive = sensitive;
        policy.version += 1;
        emit PolicySet(owner, sensitive, policy.version);
    }

    /// Lets `subject` see the given attributes of `owner`'s data unscrambled (0 withdraws).
    function setSubjectAccess(address owner, address subject, uint8 attributes)
        external
        onlyOwnerOrAdmin(owner)
    {
        existingPolicy(owner);
        if (subject == address(0)) revert ZeroAddress();
        if (attributes & ~ALL_ATTRIBUTES != 0) revert InvalidAttributes(attributes);
        subjectAccess[owner][subject] = attributes;
        policies[owner].version += 1;
        emit SubjectAccessSet(owner, subject, attributes);
    }

    /// Lets holders of `role` see the given attributes of `owner`'s data unscrambled (0 withdraws).
    function setRoleAccess(address owner, bytes32 role, uint8 attributes)
        external
        onlyOwnerOrAdmin(owner)
    {
        existingPolicy(owner);
        if (role == bytes32(0)) revert InvalidRole();
        if (attributes & ~ALL_ATTRIBUTES != 0) revert InvalidAttributes(attributes);
        bytes32[] storage roles = ownerRoles[owner];
        bool listed = false;
        for (uint256 i = 0; i < roles.length; i++) {
            if (roles[i] == role) {
                listed = true;
                break;
            }
        }
        if (!listed) {
            if (roles.length >= MAX_ROLES_PER_OWNER) revert TooManyRoles(owner, MAX_ROLES_PER_OWNER);
            roles.push(role);
        }
        roleAccess[owner][role] = attributes;
        policies[owner].version += 1;
        emit RoleAccessSet(owner, role, attributes);
    }

    /// Gives `subject` the role `role` (admin only).
    function assignRole(address subject, bytes32 role) external onlyAdmin {
        if (subject == address(0)) revert ZeroAddress();
        if (role == bytes32(0)) revert InvalidRole();
        hasRole[role][subject] = true;
        emit RoleAssigned(subject, role);
    }

    /// Takes `role` away from `subject` (admin only).
    function unassignRole(address subject, bytes32 role) external onlyAdmin {
        hasRole[role][subject] = false;
        emit RoleUnassigned(subject, role);
    }

    /// The owner's policy: whether one was set, the sensitive bitmask and its change counter.
    function getPolicy(address owner)
        external
        view
        returns (bool exists, uint8 sensitive, uint64 version)
    {
        Policy storage policy = policies[owner];
        return (policy.exists, policy.sensitive, policy.version);
    }

    /// True when `subject` may see `attribute` (exactly one bit) of `owner`'s data unscrambled.
    function maySee(address owner, address subject, uint8 attribute) external view returns (bool) {
        if (attribute == 0 || attribute & ~ALL_ATTRIBUTES != 0 || attribute & (attribute - 1) != 0)
        {
            revert InvalidAttribute(attribute);
        }
        if (subject == owner) return true;
        Policy storage policy = policies[owner];
        if (!policy.exists) return false;
        if (policy.sensitive & attribute == 0) return true;
        if (subjectAccess[owner][subject] & attribute != 0) return true;
        bytes32[] storage roles = ownerRoles[owner];
        for (uint256 i = 0; i < roles.length; i++) {
            bytes32 role = roles[i];
            if (roleAccess[owner][role] & attribute != 0 && hasRole[role][subject]) return true;
        }
        return false;
    }

    /// The attributes `subject` must see scrambled in `owner`'s data (a bitmask).
    function scrambledFor(address owner, address subject) external view returns (uint8 hidden) {
        if (subject == owner) return 0;
        Policy storage policy = policies[owner];
        if (!policy.exists) return ALL_ATTRIBUTES;
        uint8 visible = subjectAccess[owner][subject];
        bytes32[] storage roles = ownerRoles[owner];
        for (uint256 i = 0; i < roles.length; i++) {
            bytes32 role = roles[i];
            if (hasRole[role][subject]) visible |= roleAccess[owner][role];
        }
        return policy.sensitive & ~visible;
    }

    function existingPolicy(address owner) private view {
        if (!policies[owner].exists) revert NoPolicy(owner);
    }
}
