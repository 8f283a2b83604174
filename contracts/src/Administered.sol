// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Administered
/// @notice The domain admin role every vigil contract shares: set at deploy time (never
/// hard-coded), handed over with {transferAdmin}, checked against `msg.sender` by {onlyAdmin}.
/// The admin is an operator's account; hosts hold narrower roles (anchorer, issuer), never this.
abstract contract Administered {
    error NotAdmin(address caller);
    error ZeroAddress();

    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);

    address public admin;

    constructor(address initialAdmin) {
        if (initialAdmin == address(0)) revert ZeroAddress();
        admin = initialAdmin;
        emit AdminTransferred(address(0), initialAdmin);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    /// Hands the admin role to `newAdmin`.
    function transferAdmin(address newAdmin) external onlyAdmin {
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(admin, newAdmin);
        admin = newAdmin;
    }
}
